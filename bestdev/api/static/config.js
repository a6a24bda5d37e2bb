// Where the page finds the BestDev API, set when the page is deployed (nothing in the page's URL changes it).
// Leave apiBase empty when the page is served by the API itself (GET /): the usual case, signed in on one origin.
// When the page is hosted elsewhere (Azure Static Web Apps, a CDN, ...), set it to the API's https:// origin, e.g.
//   window.BESTDEV_CONFIG = { apiBase: "https://bestdev-func.azurewebsites.net" };
// and list the page's origin in BESTDEV_CORS_ORIGINS (the deployment sets the platform's CORS from it too).
window.BESTDEV_CONFIG = { apiBase: "" };
