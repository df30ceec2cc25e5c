// Two-step sign-in set-up for staff on Cognito (lib/auth/cognito-mfa.ts): /staff/mfa explains and
// starts a sign-in that also grants Cognito's user API, /staff/mfa/setup shows the new secret for
// the authenticator app (as a QR code and as text), /staff/mfa/verify takes the first code and turns TOTP on.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';
import { audit } from '../audit/audit-log';
import type { HostedLogin } from '../auth/cognito-login';
import type { TotpSetup } from '../auth/cognito-mfa';
import type { Ctx } from '../context';
import { page } from '../portal/layout';
import { qrSvg } from '../portal/qr-svg';
import { clientAddress, type Env, requireRole } from './security';
import { MFA_PATH, MFA_SETUP_COOKIE, START_PATH } from './staff-cognito-login';

const codeForm = html`<form method="post" action="${MFA_PATH}/verify">
  <p><label for="code">The 6-digit code the app shows now</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required></p>
  <p><button type="submit">Turn on two-step sign-in</button></p>
</form>`;

export function staffMfaSetupRoutes(
  app: OpenAPIHono<Env>,
  ctx: Ctx,
  hosted: HostedLogin & { totp: TotpSetup },
) {
  const { totp } = hosted;
  const show = (
    c: Context<Env>,
    title: string,
    body: ReturnType<typeof html>,
    status: 200 | 400 | 422 | 502 = 200,
  ) => {
    c.header('cache-control', 'no-store');
    return c.html(page({ title, user: c.get('principal')!.user }, html`<h1>${title}</h1>${body}`), status);
  };

  app.get(MFA_PATH, requireRole('viewer'), (c) =>
    show(
      c,
      'Two-step sign-in',
      html`<p>With two-step sign-in, signing in asks for your password and a code from an authenticator app on your phone (any app for “TOTP” codes).</p>
<p>To set it up, sign in once more: your organisation’s sign-in page lets this site add the app to your account.</p>
<p><a href="${START_PATH}?mfa=1&amp;next=${encodeURIComponent(`${MFA_PATH}/setup`)}">Set up an authenticator app</a></p>`,
    ),
  );

  app.get(`${MFA_PATH}/setup`, requireRole('viewer'), async (c) => {
    const token = getCookie(c, MFA_SETUP_COOKIE);
    if (!token) return c.redirect(MFA_PATH, 303);
    let secret: string;
    try {
      secret = await totp.associate(token);
    } catch (e) {
      ctx.log.error(`mfa set-up: ${e instanceof Error ? e.message : String(e)}`);
      return show(
        c,
        'Two-step sign-in',
        html`<p class="issue-error" role="alert">The set-up could not start. <a href="${MFA_PATH}">Try again</a>.</p>`,
        502,
      );
    }
    const who = c.get('principal')!.user;
    const uri = `otpauth://totp/${encodeURIComponent(`Corridor:${who}`)}?secret=${secret}&issuer=Corridor`;
    return show(
      c,
      'Add Corridor to your authenticator app',
      html`<p>In the app, add an account and scan this code:</p>
<figure>${raw(qrSvg(uri, 'QR code of the authenticator set-up link'))}</figure>
<p>If you cannot scan it, enter this key instead (or open the link on the phone):</p>
<p><code style="font-size:1.2rem;letter-spacing:.1em">${secret.match(/.{1,4}/g)!.join(' ')}</code></p>
<p><a href="${uri}">${uri}</a></p>${codeForm}`,
    );
  });

  app.post(`${MFA_PATH}/verify`, requireRole('viewer'), bodyLimit({ maxSize: 4096 }), async (c) => {
    const p = c.get('principal')!;
    const token = getCookie(c, MFA_SETUP_COOKIE);
    if (!token)
      return show(
        c,
        'Two-step sign-in',
        html`<p class="issue-error" role="alert">The set-up has expired. <a href="${MFA_PATH}">Start again</a>.</p>`,
        400,
      );
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const code = typeof form.code === 'string' ? form.code.replace(/\s/g, '') : '';
    if (!/^\d{6}$/.test(code))
      return show(
        c,
        'Two-step sign-in',
        html`<p class="issue-error" role="alert">Type the 6 digits the app shows.</p>${codeForm}`,
        400,
      );
    let ok: boolean;
    try {
      ok = await totp.verify(token, code);
    } catch (e) {
      ctx.log.error(`mfa verify: ${e instanceof Error ? e.message : String(e)}`);
      return show(
        c,
        'Two-step sign-in',
        html`<p class="issue-error" role="alert">Cognito could not turn it on. <a href="${MFA_PATH}">Start again</a>.</p>`,
        502,
      );
    }
    await audit(ctx.storage, {
      user: p.user,
      role: p.role,
      action: 'mfa_setup',
      outcome: ok ? 'ok' : 'refused',
      ip: clientAddress(c),
    });
    if (!ok)
      return show(
        c,
        'Two-step sign-in',
        html`<p class="issue-error" role="alert">That code did not match. Type the code the app shows now (they change every 30 seconds).</p>${codeForm}`,
        422,
      );
    deleteCookie(c, MFA_SETUP_COOKIE, { path: MFA_PATH });
    return show(
      c,
      'Two-step sign-in is on',
      html`<p>From your next sign-in, Cognito asks for a code from the app after your password.</p><p><a href="/staff">Back to the staff area</a></p>`,
    );
  });
}
