import type { APIRoute } from 'astro';
import { siteTitle } from '../data/site';
import { getDifficultyTitle } from '../data/difficulties';
import { getTopic } from '../data/topics';
import { allQuestions, isPublished, publishedQuestions } from '../lib/questions';
import { createFlashcardHtmlRenderer } from '../markdown/flashcard-html';
import { extractSection } from '../utils/answer-sections';
import { flashcardDeck, textToHtml, type Flashcard } from '../utils/flashcard-deck';
import { absoluteUrl, questionPath } from '../utils/paths';

/** The Anki deck: one card per published question, its short answer on the back. */
export const GET: APIRoute = async ({ site }) => {
  const renderHtml = await createFlashcardHtmlRenderer({
    base: import.meta.env.BASE_URL,
    directory: new Map(
      allQuestions.map((question) => [
        question.data.number,
        { slug: question.id, published: isPublished(question) },
      ]),
    ),
  });
  const cards: Flashcard[] = [];
  for (const question of publishedQuestions) {
    const { number, topic, difficulty, tags } = question.data;
    const shortAnswer = extractSection(question.body ?? '', 'Short answer');
    if (!shortAnswer) throw new Error(`question ${number} has no "## Short answer" section`);
    const url = absoluteUrl(questionPath(question.id), site);
    const about = `${getTopic(topic).title} · ${getDifficultyTitle(difficulty)}`;
    cards.push({
      front: textToHtml(`${number}. ${question.data.question}`),
      back:
        (await renderHtml(shortAnswer, url)) +
        `<p><small>${textToHtml(about)} · <a href="${textToHtml(url)}">full answer</a></small></p>`,
      tags: [topic, ...tags],
    });
  }
  return new Response(flashcardDeck(cards, { deck: siteTitle, notetype: 'Basic' }), {
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  });
};
