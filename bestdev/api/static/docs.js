// Starts Swagger UI on /api/docs with the app's own OpenAPI document (served next to it, same origin).
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  window.SwaggerUIBundle({
    url: "openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null, // never send the document to the public validator
    deepLinking: true,
  });
});
