/**
 * GPT-4o's encoding (o200k_base) with its real merge table, as an island of its own: the merge
 * table is most of its weight, so the tokenizer lab imports it only when the reader chooses GPT-4o.
 */
import ranks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { createEngine } from '../labs/tokenizer';

export const engine = createEngine(encode, ranks);
