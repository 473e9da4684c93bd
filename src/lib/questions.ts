/**
 * The one place that queries the questions collection. Pages map these results; they never
 * call getCollection themselves, so order and filtering are the same everywhere.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { topics, type Topic } from '../data/topics';

export type Question = CollectionEntry<'questions'>;

/** Every question, drafts included, in list order. */
export const allQuestions: readonly Question[] = (await getCollection('questions')).sort(
  (a, b) => a.data.number - b.data.number,
);

/** Questions with a finished answer: the only ones that get pages. */
export const publishedQuestions: readonly Question[] = allQuestions.filter(
  (question) => question.data.status === 'published',
);

export function isPublished(question: Question): boolean {
  return question.data.status === 'published';
}

export function getQuestionByNumber(number: number): Question | undefined {
  return allQuestions.find((question) => question.data.number === number);
}

/** The related questions of one question, in list order. */
export function getRelatedQuestions(question: Question): Question[] {
  return question.data.related
    .map((number) => getQuestionByNumber(number))
    .filter((related): related is Question => related !== undefined)
    .sort((a, b) => a.data.number - b.data.number);
}

/** The nearest published questions before and after this one, for previous/next links. */
export function getNeighbours(question: Question): { previous?: Question; next?: Question } {
  const index = publishedQuestions.indexOf(question);
  return {
    previous: index > 0 ? publishedQuestions[index - 1] : undefined,
    next: index >= 0 ? publishedQuestions[index + 1] : undefined,
  };
}

export type TopicWithQuestions = {
  topic: Topic;
  questions: Question[];
};

/** Topics in site order, each with its questions; topics with no question are left out. */
export const topicsWithQuestions: readonly TopicWithQuestions[] = topics
  .map((topic) => ({
    topic,
    questions: allQuestions.filter((question) => question.data.topic === topic.id),
  }))
  .filter((group) => group.questions.length > 0);
