// Lambda entry for the HTTP API: lib/api's Hono app behind API Gateway (HTTP API, payload v2).
// hono/aws-lambda is marked deprecated, but its successor @hono/aws-lambda is unpublished: keep
// the import in this one file (research/ecosystem.md §4).
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../lib/api/app';
import { cognitoAuthenticator } from '../lib/auth/cognito-auth';
import { createContext } from '../lib/context';

// Built on the first request and reused while the instance stays warm.
let lambdaHandler: Promise<ReturnType<typeof handle>> | undefined;

export async function handler(event: LambdaEvent, lambdaContext?: LambdaContext) {
  lambdaHandler ??= createContext().then((ctx) => {
    // Staff present the user pool's JWTs when the stack set CORRIDOR_COGNITO_* (cdk/stacks/api-stack.ts).
    const { cognito } = ctx.config.auth;
    const { sessionSecret } = ctx.config.auth;
    const auth = cognito
      ? cognitoAuthenticator(cognito, { sessionSecret, sharedSecretRequired: true })
      : undefined;
    return handle(createApp({ ctx, auth }));
  });
  return (await lambdaHandler)(event, lambdaContext);
}
