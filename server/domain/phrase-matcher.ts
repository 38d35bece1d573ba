// Finding known phrases in a Thai skeleton (see thai-text.ts). At each position the longest phrase wins,
// and a phrase lying inside a longer one does not count: "ไม่มีเงินจ่าย" is not "จ่าย", "ศาลา" is not "ศาล".
// Linear in the text: each position walks the trie at most as deep as the longest phrase.

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  /** Index of the phrase that ends here. */
  phrase?: number;
}

export interface PhraseTrie {
  readonly root: TrieNode;
}

export interface PhraseHit {
  readonly phrase: number;
  /** Skeleton positions, end exclusive. */
  readonly start: number;
  readonly end: number;
}

/** A trie of phrase skeletons; phrase i is found as `phrase: i`. Empty skeletons are ignored. */
export function buildPhraseTrie(skeletons: readonly string[]): PhraseTrie {
  const root: TrieNode = { next: new Map() };
  skeletons.forEach((skeleton, index) => {
    if (skeleton.length === 0) return;
    let node = root;
    for (let i = 0; i < skeleton.length; i++) {
      const code = skeleton.charCodeAt(i);
      let child = node.next.get(code);
      if (!child) {
        child = { next: new Map() };
        node.next.set(code, child);
      }
      node = child;
    }
    node.phrase ??= index;
  });
  return { root };
}

/** The longest phrase starting at `start`, if any. */
export function longestPhraseAt(trie: PhraseTrie, text: string, start: number): PhraseHit | undefined {
  let node: TrieNode | undefined = trie.root;
  let best: PhraseHit | undefined;
  for (let i = start; i < text.length; i++) {
    node = node.next.get(text.charCodeAt(i));
    if (!node) break;
    if (node.phrase !== undefined) best = { phrase: node.phrase, start, end: i + 1 };
  }
  return best;
}

export interface PhraseScan {
  /** Hits not contained in a longer hit, left to right. Overlapping hits both count. */
  readonly hits: PhraseHit[];
  /** Every character of the text is inside some phrase. */
  readonly covered: boolean;
}

export function scanPhrases(trie: PhraseTrie, text: string): PhraseScan {
  const hits: PhraseHit[] = [];
  let reach = 0; // end of the furthest hit so far
  let covered = true;
  for (let start = 0; start < text.length; start++) {
    const hit = longestPhraseAt(trie, text, start);
    if (!hit) continue;
    if (hit.end <= reach) continue; // inside a longer phrase that started earlier
    if (start > reach) covered = false;
    hits.push(hit);
    reach = hit.end;
  }
  if (reach < text.length) covered = false;
  return { hits, covered };
}
