"""Repeated-structure detection: find the listing items of a page and propose their selectors.

The heuristic analyzer has no model of any particular site. It looks for what every listing
page shares: a group of elements with the same tag and class signature (or the same heading
followed by paragraphs) that repeats at least a few times, whose members each hold a title,
a date, a link, a price or an age range, and which does not sit in the navigation, the
footer or a menu. The winning group gets an item selector that is verified to select exactly
its members, and field selectors that are verified on every member: a field is kept only when
it matches most items and its values behave like that field (dates look like dates, titles
vary, ...).

Everything here is a pure function of HTML text, one concern a module, each depending only on
those before it:

- `patterns`: text patterns (dates, times, prices, ages, addresses, printed labels);
- `elements`: element text, stable classes and ids, page furniture (nav, footer, menus);
- `selecting`: running a selector the way the crawl's engine does;
- `groups`: repeated elements that may be listings, and their scores;
- `item_selectors`: a selector verified to match exactly a group's members;
- `fields`: per field, a selector that holds on most items and behaves like the field;
- `layouts`: `find_listing_layouts`, the entry point that ranks a page's listing layouts;
- `detail`: `propose_detail_fields`, fields of a page that is one listing.
"""
