/** About 7 MB of long paragraphs: extracting it needs some tens of MB of heap (the pool's memory-budget tests). */
export const LONG_TEXT_PAGE = `<html><body>${`<p>${'Some text here that is long enough, with words and a clause. '.repeat(20)}</p>`.repeat(6000)}</body></html>`;
