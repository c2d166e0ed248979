# 服务器自己的页面与邮件（简体中文）。每条消息都与 en.ftl 一一对应（测试会核对两者的 id 与变量）。

## 所有页面

page-title = { $title } · Lanyard
language-switch = 语言

## 登录

sign-in-title = 登录 { $name }
sign-in-username = 用户名
sign-in-password = 密码
sign-in-submit = 登录
sign-in-forgot = 忘记密码？
sign-in-page-title = 登录
sign-in-wrong = 用户名或密码不正确。
throttle-address = 来自您网络地址的登录失败次数过多，请 { $minutes ->
   *[other] { $minutes } 分钟
}后重试。
throttle-account = 该账户因登录失败次数过多已被锁定，请 { $minutes ->
   *[other] { $minutes } 分钟
}后重试，或联系管理员解锁。
sign-in-password-too-long = 密码过长
sign-in-send-form = 请提交登录表单
code-page-title = 输入验证码
code-sent = 我们已向 <strong>{ $sent_to }</strong> 发送了六位验证码，{ $minutes } 分钟内有效。
code-label = 验证码
code-submit = 继续
code-no-email = 没有收到邮件？<a href="{ $url }">重新登录</a>以获取新的验证码。
code-send-form = 请提交验证码表单
code-six-digits = 验证码为六位数字
code-no-address = 您的账户没有可接收登录验证码的邮箱。请联系管理员添加。
code-wrong = 验证码不正确。{ $tries ->
   *[other] 还可尝试 { $tries } 次。
}
code-gone = 验证码已过期或尝试次数过多。请重新登录以获取新的验证码。

## 密码规则（员工页面与 API，按请求的语言）

password-too-short = 密码至少需要 { $min } 个字符
password-too-long = 密码最多 { $max } 个字符
password-control-characters = 密码不能包含控制字符
password-current-wrong = 当前密码不正确

## 门户

portal-page-title = 应用
portal-account-nav = 账户
portal-your-account = 我的账户
portal-sign-out = 退出登录
portal-search-label = 搜索我的应用
portal-search = 搜索
portal-heading = 我的应用
portal-none = 还没有为您分配任何应用。
portal-recent = 最近使用
portal-all = 全部应用
portal-no-match = 没有与“{ $query }”匹配的应用。
portal-show-all = 显示全部
portal-matching = 与“{ $query }”匹配
portal-matching-label = 匹配的应用

## 账户页

account-page-title = 我的账户
account-back = ← 我的应用
account-no-email = 没有邮箱
account-sessions = 会话
account-sessions-hint = 您在这些地方登录了 Lanyard。
account-signed-in = 登录时间
account-last-used = 最近使用
account-from = 来源
account-this-browser = （当前浏览器）
portal-sign-out-others = 退出其他会话（{ $count } 个）
account-change-password = 修改密码
account-current-password = 当前密码
account-new-password = 新密码
account-change-submit = 修改密码
account-change-hint = 修改密码后，其他所有会话都将退出登录。
account-signed-out-none = 您没有在其他地方登录。
account-signed-out-others = { $count ->
   *[other] 已退出其他 { $count } 个会话。
}
account-password-changed = 密码已修改，其他会话已退出登录。

## 拒绝与错误

denied-page-title = 未获授权
denied-heading = 您无权访问 { $app }
denied-text = Lanyard 没有让您登录 { $app }：{ $reason }。
denied-reference = 如需使用此应用，请联系管理员并提供参考编号 <strong>{ $reference }</strong>。
denied-return = 返回 { $app }
error-not-found = 未找到
error-too-many = 尝试次数过多
error-not-allowed = 不允许
error-server = 出错了
error-refused = 登录请求被拒绝
error-details = 详细信息（英文）：{ $message }

## 找回密码

recovery-bad-request = 请求有误
recovery-expired-form = 表单已过期
recovery-expired-form-text = 请返回，刷新页面后重新提交表单。
recovery-not-found = 页面不存在
recovery-not-found-text = 没有这个登录页面。
recovery-field-invalid = 字段 { $name } 过长或包含不允许的字符
recovery-form-unreadable = 无法读取表单
recovery-fields-invalid = 有字段过长或包含不允许的字符
recovery-forgot-title = 忘记密码？
recovery-forgot-text = 请输入您在 <strong>{ $instance }</strong> 的账户的用户名或邮箱。如果该账户有邮箱，我们会向其发送一个设置新密码的链接。
recovery-login-label = 用户名或邮箱
recovery-send-link = 发送链接
recovery-check-email = 请查收邮件
recovery-check-email-text = 如果存在该用户名或邮箱的账户且账户有邮箱，设置新密码的链接正在发送中。链接只能使用一次，{ $minutes } 分钟内有效。
recovery-back-to-sign-in = 返回登录
recovery-set-title = 设置密码
recovery-set-text = 为 <strong>{ $username }</strong> 设置密码：至少 8 个字符。
recovery-new-password = 新密码
recovery-repeat = 再次输入
recovery-set-submit = 设置密码
recovery-invalid-link = 此链接无法使用
recovery-invalid-link-text = 链接已过期或已被使用。<a href="{ $url }">重新申请</a>。
recovery-differ = 两次输入的密码不一致。
recovery-done-title = 密码已设置
recovery-done-text = 现在您可以用 <strong>{ $username }</strong> 登录了。
recovery-sign-in = 登录

## 单点登出

slo-signing-out-title = 正在退出
slo-signing-out-heading = 正在为您退出登录
slo-signing-out-text = Lanyard 正在为您退出以下应用：
slo-frame-title = 正在退出 { $app }
slo-wait = 这需要几秒钟。
slo-continue = 继续
slo-signed-out-title = 已退出
slo-signed-out-of = 已退出 { $app }。
slo-not-confirmed = { $app } 没有确认退出登录。
slo-partial-title = 部分退出
slo-partial-heading = 您已退出 Lanyard
slo-partial-text = 以下应用没有确认已为您退出登录，可能仍处于登录状态：
slo-partial-advice = 请在这些应用中分别退出，或关闭浏览器。
slo-sign-in-again = 重新登录
slo-return = 返回 { $app }

## 邮件主题（正文是 src/mail/templates/ 中每种语言的模板）

email-invitation-subject = 您受邀加入 { $instance }
email-reset-subject = 重置您在 { $instance } 的密码
email-locked-subject = 您在 { $instance } 的账户已被锁定
email-factors-reset-subject = 您在 { $instance } 的第二重验证方式已被移除
email-code-subject = { $code } 是您登录 { $instance } 的验证码

## 应用市场的模板（GraphQL API 中按请求的语言返回）

template-alibaba-cloud-user-sso-intl = 员工以 RAM 用户身份登录阿里云国际站控制台（alibabacloud.com）。
template-alibaba-cloud-user-sso-cn = 员工以 RAM 用户身份登录阿里云中国站控制台（aliyun.com）。
template-alibaba-cloud-role-sso-intl = 员工在阿里云国际站控制台（alibabacloud.com）中扮演 RAM 角色。
template-alibaba-cloud-role-sso-cn = 员工在阿里云中国站控制台（aliyun.com）中扮演 RAM 角色。
template-generic-saml2 = 任意 SAML 2.0 服务提供方：导入其元数据，或填写其 Entity ID 和 ACS 地址。
template-alibaba-cloud-role-sso-oidc = 应用用员工的 ID 令牌换取 RAM 角色的 STS 临时凭证（RAM 的 OIDC 身份提供商，AssumeRoleWithOIDC）。
template-generic-oidc = 任意 OpenID Connect 依赖方：登记其重定向 URI，并为其分配客户端 ID 和密钥。
template-category-cloud = 云服务
template-category-custom = 自定义
template-param-accountId = 阿里云账号 ID
template-param-accountId-help = 阿里云账号的 16 位 ID（在账号中心，头像下方）。
template-param-idpName = RAM 中的身份提供商名称
template-param-idpName-help = 在 RAM > SSO 管理 > 角色 SSO 中创建的 SAML 身份提供商的名称。
template-param-roles = RAM 角色
template-param-roles-help = 可供选择的 RAM 角色名称，以英文逗号分隔。
template-param-oidcIdpName = RAM 中的身份提供商名称
template-param-oidcIdpName-help = 在 RAM > SSO 管理 > 角色 SSO > OIDC 中创建的 OIDC 身份提供商的名称。
template-param-oidcRoles = RAM 角色
template-param-oidcRoles-help = 信任策略中指定此身份提供商的 RAM 角色名称，以英文逗号分隔。
template-param-sessionDuration = 会话时长（秒）
template-param-sessionDuration-help = 角色会话的有效时长，900 到 43200 秒；留空则使用 RAM 的默认值。

## Second factors: the sign-in step, enrolment, recovery codes
factor-page-title = 确认是您本人
factor-title = { $name } 的第二重验证
factor-step-up = 此应用要求第二重验证。完成验证后即可继续。
factor-totp-label = 身份验证器应用中的验证码
factor-submit = 继续
factor-recovery-heading = 设备丢失了？
factor-recovery-label = 恢复码
factor-recovery-submit = 使用恢复码
factor-email = 改为将验证码发送到 { $sent_to }
factor-method-unknown = 此处不能使用这种验证方式
factor-none-step-up = 此应用需要第二重验证，而您尚未设置任何验证方式。<a href="{ $url }">请在账户页面设置</a>，然后重新打开应用。
factor-none = 您没有此次登录可用的第二重验证方式。请联系管理员协助设置。
factor-enrol-title = 设置身份验证器应用
factor-enrol-intro = { $name } 要求第二重验证。请用身份验证器应用（如 Microsoft Authenticator 或 Google 身份验证器）扫描此二维码，然后输入应用显示的六位验证码。
factor-enrol-secret = 无法扫描二维码？请在应用中输入此密钥：
factor-enrol-name = 为此应用命名（可选）
factor-enrol-code = 应用中的验证码
factor-enrol-submit = 启用
factor-enrol-wrong = 这不是应用当前的验证码。请确认手机时间准确后重试。
factor-enrol-gone = 设置已过期，请重新开始。
factor-qr-alt = 身份验证器应用密钥的二维码
recovery-title = 保存您的恢复码
recovery-intro = 如果身份验证器丢失，每个恢复码可以确认一次身份。请妥善保存：恢复码只显示这一次。
recovery-continue = 我已保存，继续
account-factors = 第二重验证
account-factors-none = 您还没有第二重验证方式。
account-factor-kind-totp = 身份验证器应用
account-factor-kind-passkey = 通行密钥
account-factor-added = 添加于 { $added }，上次使用 { $used }
account-factor-never = 从未
account-factor-remove = 移除
account-add-totp = 设置身份验证器应用
account-recovery-left = 还剩 { $count } 个恢复码。
account-new-recovery = 生成新的恢复码
account-verify-first = 要更改第二重验证方式，请先用其中一种确认是您本人。
account-verify = 确认是您本人
account-totp-added = 身份验证器应用已设置好。
account-factor-removed = 已移除该第二重验证方式。
account-recovery-made = 已生成新的恢复码，旧的恢复码不再有效。

## Console sign-in and the Security page: admins' second factors
admin-step-gone = 此次登录已过期，或验证码尝试次数过多。请重新登录。
admin-method-unknown = 验证方式须为 "totp"（身份验证器应用的验证码）或 "recovery_code"（恢复码）
admin-code-too-long = 验证码最多 64 个字符
admin-name-too-long = 名称最多 64 个字符
admin-step-enrols = 请先设置身份验证器应用：控制台管理员必须使用第二重验证
admin-step-no-enrol = 此次登录需要您现有身份验证器应用的验证码，而不是设置新的应用
admin-factor-verify-first = 要更改第二重验证方式，请先用其中一种重新登录。
admin-factor-last-required = 控制台管理员必须使用第二重验证：请先设置另一种，再移除这一种。
admin-factor-none-yet = 请先设置身份验证器应用：恢复码是它的备用方式。
admin-factor-reset-self = 请在您的“安全”页面更改您自己的第二重验证方式。
## Passkeys and security keys: registering, the second-factor step, signing in without a password
passkey-sign-in = 使用通行密钥登录
factor-passkey = 使用通行密钥
account-passkeys = 通行密钥和安全密钥
account-passkey-intro = 本设备、您的手机或安全密钥上的通行密钥无需输入验证码即可确认是您本人，而且无法在其他网站上使用。
account-passkey-name = 为此通行密钥命名（可选）
account-add-passkey = 添加通行密钥
passkey-needs-script = 添加通行密钥需要 JavaScript，而您的浏览器在此处未运行它。
passkey-cancelled = 未使用通行密钥。准备好后请重试。
passkey-unavailable = 此服务器无法使用通行密钥：它的地址不是域名。
passkey-not-allowed = 此处不允许使用通行密钥。
passkey-expired = 此通行密钥请求已过期或已被使用。请重试。
passkey-malformed = 浏览器的应答不是本服务器能读取的通行密钥响应。
passkey-not-registered = 此通行密钥未在此处注册。请换一个，或用其他方式登录。
passkey-other-site = 该通行密钥应答的是另一个网站或另一个请求，未被接受。
passkey-not-verified = 该通行密钥没有确认是您本人（PIN 码、指纹或面容）。请使用会进行确认的通行密钥。
passkey-cloned = 此通行密钥被拒绝：它的使用计数器倒退了，这通常意味着它已被复制。已通知您的管理员。
passkey-duplicate = 此通行密钥已经注册过了。
passkey-failed = 未接受该通行密钥。请重试。
passkey-not-json = 请以 JSON 格式发送通行密钥请求。
passkey-too-large = 请求过大：最多 { $limit } KiB。
