"use strict";
// Swagger UI over our OpenAPI document. The API is read-only and anonymous: no credentials,
// no CSRF token (drf-spectacular's own script would put one in, setting a cookie).
window.ui = SwaggerUIBundle({
  url: "{{ schema_url|escapejs }}",
  dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  ...{{ settings|safe }},
});
