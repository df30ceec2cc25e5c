// The viewer-request CloudFront Function (cloudfront-js-2.0) on the behaviours that go to the API.
// CloudFront must send API Gateway the API's own Host (the origin request policy leaves the
// viewer's out), so the function copies the viewer's Host into a header of its own, which the app
// reads to know the portal address the browser is on (lib/api/public-origin.ts says when it
// believes it). Whatever a viewer sent under that name, or under the edge secret's, is dropped
// first: only CloudFront sets them.
import { EDGE_SECRET_HEADER, VIEWER_HOST_HEADER } from '../../lib/api/public-origin';

// ES5-style on purpose: the CloudFront Functions runtime is not Node.
export const apiRequestCode = `function handler(event) {
  var request = event.request;
  var headers = request.headers;
  delete headers['${VIEWER_HOST_HEADER}'];
  delete headers['${EDGE_SECRET_HEADER}'];
  if (headers.host && headers.host.value) headers['${VIEWER_HOST_HEADER}'] = { value: headers.host.value };
  return request;
}
`;
