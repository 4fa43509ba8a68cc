"""The web application: a JSON search API, pages for parents, calendar feeds and the
founders' source submission form. Application layer, like famact.app: the core never imports it."""
