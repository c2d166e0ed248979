# The server's own pages and emails, in English. Every message has its Chinese twin in
# zh-CN.ftl (a test holds the two to the same ids and variables).

## Every page

page-title = { $title } · Lanyard
language-switch = Language

## Sign-in

sign-in-title = Sign in to { $name }
sign-in-username = Username
sign-in-password = Password
sign-in-submit = Sign in
sign-in-forgot = Forgot your password?
sign-in-page-title = Sign in
sign-in-wrong = The username or password is not correct.
throttle-address = Too many failed sign-ins from your network address. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
throttle-account = This account is locked after too many failed sign-ins. Try again in { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}, or ask your administrator to unlock it.
sign-in-password-too-long = the password is too long
sign-in-send-form = send the sign-in form
code-page-title = Enter your code
code-sent = We emailed a six-digit code to <strong>{ $sent_to }</strong>. It is valid for { $minutes } minutes.
code-label = Code
code-submit = Continue
code-no-email = No email? <a href="{ $url }">Sign in again</a> to get a new code.
code-send-form = send the code form
code-six-digits = the code is six digits
code-no-address = Your account has no email address to send a sign-in code to. Ask your administrator to add one.
code-wrong = The code is not correct. { $tries ->
    [one] 1 try left.
   *[other] { $tries } tries left.
}
code-gone = The code has expired or was tried too often. Sign in again to get a new one.

## Password rules (employee pages and the API, in the request's language)

password-too-short = the password must have at least { $min } characters
password-too-long = the password must have at most { $max } characters
password-control-characters = the password must not contain control characters
password-current-wrong = the current password is not correct

## Portal

portal-page-title = Applications
portal-account-nav = Account
portal-your-account = Your account
portal-sign-out = Sign out
portal-search-label = Search your applications
portal-search = Search
portal-heading = Your applications
portal-none = No applications are assigned to you yet.
portal-recent = Recently used
portal-all = All applications
portal-no-match = No application matches “{ $query }”.
portal-show-all = Show all
portal-matching = Matching “{ $query }”
portal-matching-label = Matching applications

## Account page

account-page-title = Your account
account-back = ← Your applications
account-no-email = No email address
account-sessions = Sessions
account-sessions-hint = Where you are signed in to Lanyard.
account-signed-in = Signed in
account-last-used = Last used
account-from = From
account-this-browser = (this browser)
portal-sign-out-others = Sign out other sessions ({ $count })
account-change-password = Change your password
account-current-password = Current password
account-new-password = New password
account-change-submit = Change password
account-change-hint = Changing it signs you out everywhere else.
account-signed-out-none = You were signed in nowhere else.
account-signed-out-others = { $count ->
    [one] Signed out of 1 other session.
   *[other] Signed out of { $count } other sessions.
}
account-password-changed = Your password is changed. Other sessions are signed out.

## Denials and errors

denied-page-title = Access not granted
denied-heading = You do not have access to { $app }
denied-text = Lanyard did not sign you in to { $app }: { $reason }.
denied-reference = If you need this application, ask your administrator and quote the reference <strong>{ $reference }</strong>.
denied-return = Return to { $app }
error-not-found = Not found
error-too-many = Too many attempts
error-not-allowed = Not allowed
error-server = Something went wrong
error-refused = The sign-in request was refused
error-details = Details (English): { $message }

## Password recovery

recovery-bad-request = Something is wrong with the request
recovery-expired-form = The form has expired
recovery-expired-form-text = Go back, reload the page and submit the form again.
recovery-not-found = Page not found
recovery-not-found-text = There is no such sign-in page.
recovery-field-invalid = the field { $name } is too long or holds forbidden characters
recovery-form-unreadable = the form could not be read
recovery-fields-invalid = a field is too long or holds forbidden characters
recovery-forgot-title = Forgot your password?
recovery-forgot-text = Enter the username or email address of your account at <strong>{ $instance }</strong>. If it has an email address, we send it a link to choose a new password.
recovery-login-label = Username or email
recovery-send-link = Send the link
recovery-check-email = Check your email
recovery-check-email-text = If an account with that username or email address exists and has an email address, a link to choose a new password is on its way. It works once, for { $minutes } minutes.
recovery-back-to-sign-in = Back to sign-in
recovery-set-title = Set your password
recovery-set-text = Choose a password for <strong>{ $username }</strong>: at least 8 characters.
recovery-new-password = New password
recovery-repeat = Repeat it
recovery-set-submit = Set the password
recovery-invalid-link = This link cannot be used
recovery-invalid-link-text = The link has expired or was already used. <a href="{ $url }">Ask for a new one</a>.
recovery-differ = The two passwords differ.
recovery-done-title = Your password is set
recovery-done-text = You can now sign in as <strong>{ $username }</strong>.
recovery-sign-in = Sign in

## Single logout

slo-signing-out-title = Signing out
slo-signing-out-heading = Signing you out
slo-signing-out-text = Lanyard is signing you out of these applications:
slo-frame-title = Signing out of { $app }
slo-wait = This takes a few seconds.
slo-continue = Continue
slo-signed-out-title = Signed out
slo-signed-out-of = Signed out of { $app }.
slo-not-confirmed = { $app } did not confirm the sign-out.
slo-partial-title = Partly signed out
slo-partial-heading = You are signed out of Lanyard
slo-partial-text = These applications did not confirm that they signed you out, and may still have you signed in:
slo-partial-advice = Sign out in each of them, or close your browser.
slo-sign-in-again = Sign in again
slo-return = Return to { $app }

## Email subjects (the bodies are templates per language in src/mail/templates/)

email-invitation-subject = You are invited to { $instance }
email-reset-subject = Reset your password at { $instance }
email-locked-subject = Your account at { $instance } is locked
email-factors-reset-subject = Your second factors at { $instance } were removed
email-code-subject = { $code } is your sign-in code for { $instance }

## The marketplace's templates (in the GraphQL API, by the language of the request)

template-alibaba-cloud-user-sso-intl = Employees sign in to the Alibaba Cloud console (alibabacloud.com) as RAM users.
template-alibaba-cloud-user-sso-cn = Employees sign in to the Alibaba Cloud console (aliyun.com) as RAM users.
template-alibaba-cloud-role-sso-intl = Employees assume RAM roles in the Alibaba Cloud console (alibabacloud.com).
template-alibaba-cloud-role-sso-cn = Employees assume RAM roles in the Alibaba Cloud console (aliyun.com).
template-generic-saml2 = Any SAML 2.0 service provider: import its metadata or enter its entity ID and ACS URL.
template-alibaba-cloud-role-sso-oidc = Applications exchange the employee's ID token for a RAM role's STS credentials (RAM's OIDC identity provider, AssumeRoleWithOIDC).
template-generic-oidc = Any OpenID Connect relying party: register its redirect URIs and give it a client ID and secret.
template-category-cloud = Cloud
template-category-custom = Custom
template-param-accountId = Alibaba Cloud account ID
template-param-accountId-help = The 16-digit ID of the Alibaba Cloud account (Account Center, under the profile picture).
template-param-idpName = IdP name in RAM
template-param-idpName-help = The name of the SAML identity provider created in RAM > SSO > Role-based SSO.
template-param-roles = RAM roles
template-param-roles-help = The RAM roles to offer, by name, separated by commas.
template-param-oidcIdpName = IdP name in RAM
template-param-oidcIdpName-help = The name of the OIDC identity provider created in RAM > SSO > Role-based SSO > OIDC.
template-param-oidcRoles = RAM roles
template-param-oidcRoles-help = The RAM roles whose trust policy names this IdP, by name, separated by commas.
template-param-sessionDuration = Session duration (seconds)
template-param-sessionDuration-help = How long the role session lasts, 900 to 43200 seconds; RAM's default when empty.

## Second factors: the sign-in step, enrolment, recovery codes
factor-page-title = Confirm it's you
factor-title = A second factor for { $name }
factor-step-up = This application asks for a second factor. Give one to continue.
factor-totp-label = Code from your authenticator app
factor-submit = Continue
factor-recovery-heading = Lost your device?
factor-recovery-label = Recovery code
factor-recovery-submit = Use the recovery code
factor-email = Email me a code at { $sent_to } instead
factor-method-unknown = this way of confirming is not available here
factor-none-step-up = This application needs a second factor, and you have none set up yet. <a href="{ $url }">Set one up on your account page</a>, then open the application again.
factor-none = You have no second factor that this sign-in accepts. Ask your administrator to help you set one up.
factor-enrol-title = Set up an authenticator app
factor-enrol-intro = { $name } asks for a second factor. Scan this code with an authenticator app (such as Microsoft Authenticator or Google Authenticator), then type the six-digit code it shows.
factor-enrol-secret = Cannot scan the code? Type this key into the app:
factor-enrol-name = A name for this app (optional)
factor-enrol-code = Code from the app
factor-enrol-submit = Turn on
factor-enrol-wrong = That is not the app's current code. Check that your phone's clock is right and try again.
factor-enrol-gone = The setup has expired. Start again.
factor-qr-alt = QR code of the key for your authenticator app
recovery-title = Save your recovery codes
recovery-intro = Each code confirms it's you once, if you lose your authenticator. Keep them somewhere safe: they are shown only now.
recovery-continue = I have saved them: continue
account-factors = Second factors
account-factors-none = You have no second factor yet.
account-factor-kind-totp = Authenticator app
account-factor-kind-passkey = Passkey
account-factor-added = added { $added }, last used { $used }
account-factor-never = never
account-factor-remove = Remove
account-add-totp = Set up an authenticator app
account-recovery-left = { $count ->
    [one] One recovery code left.
   *[other] { $count } recovery codes left.
}
account-new-recovery = Make new recovery codes
account-verify-first = To change your second factors, first confirm it's you with one of them.
account-verify = Confirm it's you
account-totp-added = Your authenticator app is set up.
account-factor-removed = The second factor was removed.
account-recovery-made = New recovery codes were made; the old ones no longer work.

## Console sign-in and the Security page: admins' second factors
admin-step-gone = This sign-in has expired or its code was tried too often. Sign in again.
admin-method-unknown = give "totp" (a code of your authenticator app) or "recovery_code" as the method
admin-code-too-long = a code is at most 64 characters
admin-name-too-long = the name is at most 64 characters
admin-step-enrols = set up your authenticator app first: a second factor is required of console admins
admin-step-no-enrol = this sign-in asks for a code of your authenticator app, not a new one
admin-factor-verify-first = To change your second factors, sign in again with one of them first.
admin-factor-last-required = A second factor is required of console admins: set up another one before removing this one.
admin-factor-none-yet = Set up an authenticator app first: recovery codes stand in for it.
admin-factor-reset-self = Change your own second factors on your Security page.
## Passkeys and security keys: registering, the second-factor step, signing in without a password
passkey-sign-in = Sign in with a passkey
factor-passkey = Use a passkey
account-passkeys = Passkeys and security keys
account-passkey-intro = A passkey on this device, your phone or a security key confirms it's you without a code, and cannot be used on any other site.
account-passkey-name = A name for this passkey (optional)
account-add-passkey = Add a passkey
passkey-needs-script = Adding a passkey needs JavaScript, which your browser does not run here.
passkey-cancelled = No passkey was used. Try again when you are ready.
passkey-unavailable = Passkeys cannot be used on this server: its address is not a domain name.
passkey-not-allowed = Passkeys are not allowed here.
passkey-expired = This passkey request has expired or was used already. Try again.
passkey-malformed = The browser's answer is not a passkey response this server can read.
passkey-not-registered = This passkey is not registered here. Use another one, or sign in another way.
passkey-other-site = The passkey answered for another site or another request, and was not accepted.
passkey-not-verified = The passkey did not check that it is you (with a PIN, a fingerprint or your face). Use one that does.
passkey-cloned = This passkey was refused: its use counter went backwards, which happens when it has been copied. Your administrator has been told.
passkey-duplicate = This passkey is registered already.
passkey-failed = The passkey was not accepted. Try again.
passkey-not-json = Send the passkey request as JSON.
passkey-too-large = The request is too large: at most { $limit } KiB.
