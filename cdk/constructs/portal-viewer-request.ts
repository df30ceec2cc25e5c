// The portal's viewer-request CloudFront Function (cloudfront-js-2.0). The site bucket holds pages
// as <path>/index.html (lib/portal/static-export.ts) and an S3 origin has no index documents, so
// page URLs are rewritten to those keys. A catalog search (/datasets?q=…) or an older dataset
// version (/datasets/<id>?version=…) is the only page that needs per-request work: those go to
// the API origin instead (CloudFront Functions origin selection, viewer request only).

/** The id of the API origin, which the function selects; the distribution names it so. */
export const API_ORIGIN_ID = 'api';

/** Query parameters the dynamic pages read (lib/api/public-routes.ts): the pages cache policy keys on them. */
export const PAGE_QUERY_PARAMS = ['q', 'keyword', 'type', 'version'];

// ES5-style on purpose: the CloudFront Functions runtime is not Node.
export const viewerRequestCode = `import cf from 'cloudfront';

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var query = request.querystring;
  function has(name) {
    return Boolean(query[name] && query[name].value);
  }
  var catalog = /^\\/datasets\\/?$/.test(uri);
  var dataset = /^\\/datasets\\/[^\\/]+\\/?$/.test(uri);
  if ((catalog && (has('q') || has('keyword') || has('type'))) || (dataset && has('version'))) {
    cf.selectRequestOriginById('${API_ORIGIN_ID}');
    return request;
  }
  if (uri === '/') request.uri = '/index.html';
  else if (/^\\/(datasets|measures|bca)(\\/[^\\/]+)?\\/?$/.test(uri)) request.uri = uri.replace(/\\/?$/, '/index.html');
  return request;
}
`;
