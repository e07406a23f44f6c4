/** What an extractor finds in one answer: each mention of a COCO class, with the word that named it. */
export interface ObjhalMention {
  /** The matched vocabulary entry (`puppy`, `dining table`). */
  word: string;
  /** Its COCO class (`dog`, `dining table`). */
  cls: string;
}
