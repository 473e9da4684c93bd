import type { APIRoute } from 'astro';
import { publishedQuestions, topicsWithQuestions } from '../lib/questions';
import { labs } from '../data/labs';
import {
  absoluteUrl,
  labPath,
  practicePath,
  questionPath,
  topicPath,
  withBase,
} from '../utils/paths';

/**
 * Every page a search engine should index: home, topics, search, labs, practice and each
 * published answer (not the all-answers print page, whose content is the answers' own).
 */
export const GET: APIRoute = ({ site }) => {
  const paths = [
    withBase(''),
    withBase('topics/'),
    withBase('search/'),
    labPath(),
    ...labs.map((lab) => labPath(lab.id)),
    practicePath(),
    ...topicsWithQuestions.map(({ topic }) => topicPath(topic.id)),
    ...publishedQuestions.map((question) => questionPath(question.id)),
  ];
  const urls = paths.map((path) => `  <url><loc>${absoluteUrl(path, site)}</loc></url>`).join('\n');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
  return new Response(body, { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
