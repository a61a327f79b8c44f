//go:build tools

// Package deps pins module dependencies until the packages that use them land.
package deps
import (
 _ "go.opentelemetry.io/otel"
 _ "go.opentelemetry.io/otel/sdk/trace"
 _ "go.opentelemetry.io/otel/sdk/metric"
 _ "go.opentelemetry.io/otel/sdk/log"
 _ "go.opentelemetry.io/otel/log"
 _ "go.opentelemetry.io/otel/exporters/otlp/otlptrace"
 _ "go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
 _ "go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
 _ "go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
 _ "go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
 _ "go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
 _ "go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
 _ "go.opentelemetry.io/otel/exporters/stdout/stdoutlog"
 _ "go.opentelemetry.io/proto/otlp/collector/trace/v1"
 _ "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
 _ "go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
 _ "go.opentelemetry.io/contrib/bridges/otelslog"
 _ "go.opentelemetry.io/contrib/instrumentation/runtime"
 _ "github.com/go-chi/chi/v5"
 _ "go.uber.org/fx"
 _ "go.uber.org/goleak"
 _ "google.golang.org/grpc"
)
