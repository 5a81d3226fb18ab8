"""Our short date formats per language (settings.FORMAT_MODULE_PATH), over Django's own: ISO in
English, Belgian day/month/year in Dutch and French. Machine-read dates (feeds, the sitemap,
`<time datetime>`, exports and signed texts) are written in ISO whatever the language."""
