// The slice of wink-pos-tagger 2.2.2 (MIT, CommonJS) that pos.ts uses: the default export is a
// factory returning a tagger whose tagRawTokens tags pre-split tokens with Penn Treebank tags.
declare module 'wink-pos-tagger' {
  interface WinkTaggedToken {
    value: string;
    tag: string;
    normal: string;
    pos: string;
    lemma?: string;
  }
  interface WinkTagger {
    tagRawTokens(tokens: string[]): WinkTaggedToken[];
  }
  function posTagger(): WinkTagger;
  export default posTagger;
}
