package session

// Metadata describes one session: one conversation of an app-server client. It is attached to every event
// the session records. AccountID and AccountEmail are sensitive: they go to logs only, never to spans or
// metrics. SessionID never becomes a metric attribute either.
type Metadata struct {
	// SessionID is the session (conversation) id, exported as conversation.id.
	SessionID string `json:"session_id,omitempty" yaml:"session_id,omitempty"`
	// Model names the model in use (attribute and metric tag model).
	Model string `json:"model,omitempty" yaml:"model,omitempty"`
	// Slug is the model's slug (attribute slug).
	Slug string `json:"slug,omitempty" yaml:"slug,omitempty"`
	// AccountID identifies the user's account (user.account_id, logs only).
	AccountID string `json:"account_id,omitempty" yaml:"account_id,omitempty"`
	// AccountEmail is the user's email address (user.email, logs only).
	AccountEmail string `json:"account_email,omitempty" yaml:"account_email,omitempty"`
	// AuthMode is how the client authenticated, for example "ApiKey" or "Chatgpt".
	AuthMode string `json:"auth_mode,omitempty" yaml:"auth_mode,omitempty"`
	// Originator names the client program. It is sanitised when the session is created.
	Originator string `json:"originator,omitempty" yaml:"originator,omitempty"`
	// SessionSource says where the session came from, for example "cli", "vscode" or "exec" (attribute
	// and metric tag session_source).
	SessionSource string `json:"session_source,omitempty" yaml:"session_source,omitempty"`
	// TerminalType is the client's terminal, when there is one.
	TerminalType string `json:"terminal_type,omitempty" yaml:"terminal_type,omitempty"`
	// AppVersion is the client application's version.
	AppVersion string `json:"app_version,omitempty" yaml:"app_version,omitempty"`
	// ServiceName optionally names the service on whose behalf the session runs (attribute service_name,
	// and a metric tag when set).
	ServiceName string `json:"service_name,omitempty" yaml:"service_name,omitempty"`
	// LogUserPrompts allows prompt text in log records. When false, logs carry "[REDACTED]".
	// Prompt text never goes to spans or metrics.
	LogUserPrompts bool `json:"log_user_prompts,omitempty" yaml:"log_user_prompts,omitempty"`
	// AuthEnv describes the credentials found in the server's environment; it is added to conversation
	// start, API request and websocket events as the auth.env_* fields.
	AuthEnv AuthEnv `json:"auth_env,omitempty" yaml:"auth_env,omitempty"`
}

// AuthEnv is what the server knows about credentials in its environment (the reference's
// AuthEnvTelemetryMetadata). It holds flags and a variable name, never a secret.
type AuthEnv struct {
	// OpenAIAPIKeyPresent: OPENAI_API_KEY is set (auth.env_openai_api_key_present).
	OpenAIAPIKeyPresent bool `json:"openai_api_key_present,omitempty" yaml:"openai_api_key_present,omitempty"`
	// CodexAPIKeyPresent: CODEX_API_KEY is set (auth.env_codex_api_key_present).
	CodexAPIKeyPresent bool `json:"codex_api_key_present,omitempty" yaml:"codex_api_key_present,omitempty"`
	// CodexAPIKeyEnabled: CODEX_API_KEY is allowed to be used (auth.env_codex_api_key_enabled).
	CodexAPIKeyEnabled bool `json:"codex_api_key_enabled,omitempty" yaml:"codex_api_key_enabled,omitempty"`
	// ProviderKeyName names the model provider's key variable (auth.env_provider_key_name). When it is
	// empty, neither it nor ProviderKeyPresent is recorded.
	ProviderKeyName string `json:"provider_key_name,omitempty" yaml:"provider_key_name,omitempty"`
	// ProviderKeyPresent: the variable named by ProviderKeyName is set (auth.env_provider_key_present).
	ProviderKeyPresent bool `json:"provider_key_present,omitempty" yaml:"provider_key_present,omitempty"`
	// RefreshTokenURLOverridePresent: the refresh-token URL is overridden (auth.env_refresh_token_url_override_present).
	RefreshTokenURLOverridePresent bool `json:"refresh_token_url_override_present,omitempty" yaml:"refresh_token_url_override_present,omitempty"`
}
