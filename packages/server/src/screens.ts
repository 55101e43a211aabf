import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import type { Screen } from '@warmshower/core';

/** The screens `serve --filter` knows (SPEC rule 12). */
export const filters = ['profanity'] as const;
export type Filter = (typeof filters)[number];

let matcher: RegExpMatcher | undefined;

/**
 * Refuses English profanity, with its usual disguises (l33t, repeated letters, confusable
 * characters), by obscenity's English dataset: a kept library, not a word list of ours.
 */
export const profanityScreen: Screen = (text) => {
  matcher ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return matcher.hasMatch(text)
    ? 'it contains words this server does not allow; say it another way and send it again'
    : null;
};

/** The screen for a `--filter` name, or a RangeError with a sentence. */
export function screenFor(filter: string): Screen {
  if (filter === 'profanity') return profanityScreen;
  throw new RangeError(`The filter must be one of: ${filters.join(', ')}; got "${filter}".`);
}
