"""Progress reports: what a period's report says (content), laid out once in its language's words (labels, tables,
layout), drawn as HTML and PDF (html, pdf), and made once per period end and language (produce)."""
