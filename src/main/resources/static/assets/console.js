// The console's small improvements over its plain pages; every page works without them.
// htmx sends the page's form token with its own requests (posts from partial updates).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("meta[name=csrf-token]");
  if (token) {
    event.detail.headers["X-CSRF-TOKEN"] = token.getAttribute("content");
  }
});
