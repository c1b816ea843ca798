import type { Page } from '../../contract/src';

/** The keyset pages of a list, first to last; `pageMax` bounds how many are read. */
export async function* pages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, pageMax = 10_000): AsyncGenerator<Page<T>> {
  let cursor: string | null = null;
  for (let read = 0; read < pageMax; read++) {
    const page: Page<T> = await fetchPage(cursor);
    yield page;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}

/** Every item of a keyset-paginated list, fetching the next page only when the caller gets there. */
export async function* items<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, pageMax?: number): AsyncGenerator<T> {
  for await (const page of pages(fetchPage, pageMax)) yield* page.items;
}
