// A stand-in for a page that uses Google Consent Mode: records every gtag call for the tests.
window.gtag = function () { (window.__gtagCalls = window.__gtagCalls || []).push(Array.from(arguments)); };
