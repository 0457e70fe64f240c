/**
 * Lists follow `next_cursor` lazily: a page is fetched only when iteration reaches it.
 *
 *     for await (const employee of pulse.employees.list({ department: "R&D" })) { … }
 *     const page = await pulse.employees.list({ limit: 100 }).page();
 */

import type { APIResponse, WithResponse } from "./core.js";

/** The list envelope as the API sends it. */
export interface PageBody<T> {
  data: T[];
  next_cursor: string | null;
  total_count: number;
}

/** One page of a list: its items, the cursor of the next one, and how many rows match in all. */
export class Page<T> {
  readonly data: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
  /** Rows matching the filters (exact up to 10,000). */
  readonly totalCount: number;
  /** The HTTP answer the page came in (status, headers, request id, rate limit). */
  readonly lastResponse: APIResponse | undefined;
  readonly #fetch: (cursor: string) => Promise<Page<T>>;

  constructor(body: PageBody<T>, fetch: (cursor: string) => Promise<Page<T>>) {
    this.data = body.data;
    this.nextCursor = body.next_cursor ?? null;
    this.totalCount = body.total_count ?? 0;
    this.lastResponse = (body as Partial<WithResponse<PageBody<T>>>).lastResponse;
    this.#fetch = fetch;
  }

  hasNextPage(): boolean {
    return this.nextCursor !== null && this.nextCursor !== "";
  }

  /** The page after this one, or null on the last page. */
  async nextPage(): Promise<Page<T> | null> {
    return this.hasNextPage() ? this.#fetch(this.nextCursor as string) : null;
  }
}

/**
 * Every item of a list across pages (`for await`), or page by page (`pages()`, `page()`).
 * Nothing is fetched until asked; the first page is fetched once and kept.
 */
export class ListIterator<T> implements AsyncIterable<T> {
  readonly #fetch: (cursor: string | undefined) => Promise<Page<T>>;
  #first: Promise<Page<T>> | undefined;
  #firstPage: Page<T> | undefined;

  constructor(fetch: (cursor: string | undefined) => Promise<Page<T>>) {
    this.#fetch = fetch;
  }

  /** The first page, with `data`, `nextCursor`, `totalCount` and `nextPage()`. */
  page(): Promise<Page<T>> {
    if (this.#first === undefined) {
      const first = this.#fetch(undefined);
      this.#first = first;
      first.then(
        (page) => {
          this.#firstPage = page;
        },
        () => {
          if (this.#first === first) this.#first = undefined; // a failed first page is asked again next time
        },
      );
    }
    return this.#first;
  }

  /** The first page (the Python SDK's name for `page()`). */
  firstPage(): Promise<Page<T>> {
    return this.page();
  }

  /** Rows matching the filters, once the first page is in (undefined before). */
  get totalCount(): number | undefined {
    return this.#firstPage?.totalCount;
  }

  /** Rows matching the filters, fetching the first page if need be. */
  async getTotalCount(): Promise<number> {
    return (await this.page()).totalCount;
  }

  /** Page by page, following next_cursor. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page: Page<T> | null = await this.page();
    while (page !== null) {
      yield page;
      page = await page.nextPage();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }
}
