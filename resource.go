package otelkit

import (
	"context"
	"os"
	"path/filepath"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// buildResource assembles the resource: detected host, process and SDK attributes, then
// Settings.ResourceAttributes, then option attributes, then the service and environment fields.
func buildResource(p *plan, extra []attribute.KeyValue) (*resource.Resource, error) {
	s := p.settings
	name := s.ServiceName
	if name == "" {
		name = s.ResourceAttributes[string(semconv.ServiceNameKey)]
	}
	if name == "" {
		exe, _ := os.Executable()
		name = "unknown_service:" + filepath.Base(exe)
	}
	attrs := make([]attribute.KeyValue, 0, len(p.resAttrs)+len(extra)+3)
	attrs = append(attrs, p.resAttrs...)
	attrs = append(attrs, extra...)
	attrs = append(attrs, semconv.ServiceName(name))
	if s.ServiceVersion != "" {
		attrs = append(attrs, semconv.ServiceVersion(s.ServiceVersion))
	}
	if s.Environment != "" {
		attrs = append(attrs, semconv.DeploymentEnvironmentNameKey.String(s.Environment))
	}
	// No WithFromEnv: the environment is read only by SettingsFromEnv, so code stays in control.
	// No process command line either: arguments can carry secrets.
	return resource.New(context.Background(),
		resource.WithSchemaURL(semconv.SchemaURL),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
		resource.WithOSType(),
		resource.WithProcessPID(),
		resource.WithProcessExecutableName(),
		resource.WithProcessRuntimeName(),
		resource.WithProcessRuntimeVersion(),
		resource.WithAttributes(attrs...), // later attributes win over earlier ones with the same key
	)
}
