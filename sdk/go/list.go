package pulse

import (
	"context"
	"net/url"
)

// List is one page of a list: its items, the cursor of the next page, and how many rows match.
type List[T any] struct {
	// Data holds the page's items.
	Data []T `json:"data"`
	// NextCursor is where the next page starts; empty on the last page.
	NextCursor string `json:"next_cursor"`
	// TotalCount is how many rows match the filters (exact up to 10,000).
	TotalCount int64 `json:"total_count"`
	// LastResponse is the HTTP answer the page came in.
	LastResponse *Response `json:"-"`
}

func (l *List[T]) setResponse(r *Response) { l.LastResponse = r }

// HasMore reports whether a page follows this one.
func (l *List[T]) HasMore() bool { return l.NextCursor != "" }

// Iter walks a list item by item, fetching a page only when the walk reaches it:
//
//	it := client.Employees.List(ctx, nil)
//	for it.Next() {
//		e := it.Current()
//	}
//	if err := it.Err(); err != nil { … }
type Iter[T any] struct {
	fetch   func(cursor string) (*List[T], error)
	page    *List[T]
	index   int
	current T
	err     error
	started bool
}

// Next advances to the next item, fetching the next page when needed; false at the end or on
// an error (see Err).
func (it *Iter[T]) Next() bool {
	if it.err != nil {
		return false
	}
	if !it.started {
		it.started = true
		it.page, it.err = it.fetch("")
		if it.err != nil {
			return false
		}
	}
	for it.index >= len(it.page.Data) {
		if !it.page.HasMore() {
			return false
		}
		next, err := it.fetch(it.page.NextCursor)
		if err != nil {
			it.err = err
			return false
		}
		it.page, it.index = next, 0
	}
	it.current = it.page.Data[it.index]
	it.index++
	return true
}

// Current is the item Next moved to.
func (it *Iter[T]) Current() T { return it.current }

// Err is the error that stopped the walk, if any.
func (it *Iter[T]) Err() error { return it.err }

// Page is the page the walk is on (nil before the first Next): its TotalCount, NextCursor and
// LastResponse.
func (it *Iter[T]) Page() *List[T] { return it.page }

// newIter lists path with query; a cursor in query is where the walk starts.
func newIter[T any](ctx context.Context, c *Client, path string, query url.Values, opts []CallOption) *Iter[T] {
	start := query.Get("cursor")
	return &Iter[T]{fetch: func(cursor string) (*List[T], error) {
		if cursor == "" {
			cursor = start
		}
		return listPage[T](ctx, c, path, query, cursor, opts)
	}}
}

func listPage[T any](ctx context.Context, c *Client, path string, query url.Values, cursor string, opts []CallOption) (*List[T], error) {
	values := url.Values{}
	for name, v := range query {
		values[name] = v
	}
	if cursor != "" {
		values.Set("cursor", cursor)
	}
	page := &List[T]{}
	if _, err := c.Do(ctx, "GET", path, values, nil, page, opts...); err != nil {
		return nil, err
	}
	return page, nil
}
