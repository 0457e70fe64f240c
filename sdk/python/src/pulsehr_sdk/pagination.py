"""Lists follow `next_cursor` lazily: a page is fetched only when iteration reaches it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._core import Response
from ._model import Model

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Page(Generic[M]):
    """One page of a list: `{"data", "next_cursor", "total_count"}`."""

    data: list[M]
    next_cursor: str | None
    total_count: int
    #: The HTTP answer the page came in (status, headers, request id, rate limit).
    last_response: Response | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parser(cls, model: type[M]) -> Callable[[Any], Page[M]]:
        """How a page of `model` is read from the list envelope."""

        def parse(body: Any) -> Page[M]:
            return cls(
                data=[model.from_dict(row) for row in body["data"]],
                next_cursor=body.get("next_cursor"),
                total_count=body.get("total_count", 0),
            )

        return parse


class ListIterator(Generic[M]):
    """Every item of a list across pages. `total_count` (from the first page) is the number of
    rows matching the filters; `pages()` iterates page by page instead."""

    def __init__(self, fetch: Callable[[str | None], Page[M]]) -> None:
        self._fetch = fetch
        self._first: Page[M] | None = None

    def first_page(self) -> Page[M]:
        """The first page (fetched once, then kept): `data`, `next_cursor`, `total_count`."""
        if self._first is None:
            self._first = self._fetch(None)
        return self._first

    @property
    def total_count(self) -> int:
        """Rows matching the filters (exact up to 10,000), from the first page."""
        return self.first_page().total_count

    def pages(self) -> Iterator[Page[M]]:
        """Page by page, following next_cursor."""
        page = self.first_page()
        yield page
        while page.next_cursor:
            page = self._fetch(page.next_cursor)
            yield page

    def __iter__(self) -> Iterator[M]:
        for page in self.pages():
            yield from page.data


class AsyncListIterator(Generic[M]):
    """`async for item in pulse.employees.list()`; `await it.first_page()` gives `total_count`,
    which the `total_count` property also holds once the first page has been fetched."""

    def __init__(self, fetch: Callable[[str | None], Awaitable[Page[M]]]) -> None:
        self._fetch = fetch
        self._first: Page[M] | None = None

    async def first_page(self) -> Page[M]:
        """The first page (fetched once, then kept): `data`, `next_cursor`, `total_count`."""
        if self._first is None:
            self._first = await self._fetch(None)
        return self._first

    @property
    def total_count(self) -> int | None:
        """Rows matching the filters, once the first page is in (None before)."""
        return self._first.total_count if self._first is not None else None

    async def get_total_count(self) -> int:
        """Rows matching the filters, fetching the first page if need be."""
        return (await self.first_page()).total_count

    async def pages(self) -> AsyncIterator[Page[M]]:
        """Page by page, following next_cursor."""
        page = await self.first_page()
        yield page
        while page.next_cursor:
            page = await self._fetch(page.next_cursor)
            yield page

    async def __aiter__(self) -> AsyncIterator[M]:
        async for page in self.pages():
            for item in page.data:
                yield item
