"""The read-only partner API (/api/v1/): published posts as JSON, its OpenAPI document and docs.

Partner organisations show our alerts on their own sites. Only what the public site shows is
served: the published revision of published posts, never a draft, a name or an internal note
(the serializers are whitelists). No session, cookie or CSRF: every answer is the same for
everybody, throttled per client address (content.api.throttling).
"""
