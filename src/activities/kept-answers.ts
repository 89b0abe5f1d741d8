/**
 * Answers a worker keeps for a while after asking: one question in flight per key, shared by every activity that
 * asks it; a question that fails is not kept, so the next caller asks again.
 */
export interface KeptAnswers<K, V> {
  /** The kept answer to `ask` for `key` when it was asked within the keeping time and at or after `askedSince`. */
  get(key: K, ask: () => Promise<V>, askedSince?: number): Promise<V>;
}

export function keptAnswers<K, V>(keepMs: number, now: () => number = Date.now): KeptAnswers<K, V> {
  const answers = new Map<K, { askedAt: number; value: Promise<V> }>();
  return {
    get(key, ask, askedSince = -Infinity) {
      const at = now();
      const known = answers.get(key);
      if (known && at < known.askedAt + keepMs && known.askedAt >= askedSince) return known.value;
      const answer = { askedAt: at, value: ask() };
      answers.set(key, answer);
      answer.value.catch(() => answers.get(key) === answer && answers.delete(key));
      return answer.value;
    },
  };
}
