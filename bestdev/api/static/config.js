// Where the page finds the BestDev API. Leave apiBase empty when the page is served by the API itself (GET /).
// When the page is hosted elsewhere (Azure Static Web Apps, a CDN, ...), set it to the API's origin, e.g.
//   window.BESTDEV_CONFIG = { apiBase: "https://bestdev-func.azurewebsites.net" };
// and list the page's origin in the API's BESTDEV_CORS_ORIGINS setting.
// A ?api=https://... query parameter on the page URL overrides this, for trying another API without a redeploy.
window.BESTDEV_CONFIG = { apiBase: "" };
