package otlptest

import (
	"crypto/tls"
	"fmt"
	"strings"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

func TestURLs(t *testing.T) {
	s := NewServer(t)
	if !strings.HasPrefix(s.HTTPURL(), "http://127.0.0.1:") || !strings.HasPrefix(s.GRPCURL(), "http://127.0.0.1:") ||
		s.GRPCURL() != "http://"+s.GRPCAddr() || s.HTTPURL() == s.GRPCURL() {
		t.Fatalf("URLs %s %s %s", s.HTTPURL(), s.GRPCURL(), s.GRPCAddr())
	}
	tlsServer := NewServer(t, WithTLS(NewCertificates(t).ServerTLS()))
	if !strings.HasPrefix(tlsServer.HTTPURL(), "https://127.0.0.1:") || !strings.HasPrefix(tlsServer.GRPCURL(), "https://127.0.0.1:") {
		t.Fatalf("TLS URLs %s %s", tlsServer.HTTPURL(), tlsServer.GRPCURL())
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"zero body limit", []Option{WithMaxBodyBytes(0)}, "otlptest: WithMaxBodyBytes(0): the limit must be positive"},
		{"TLS without certificate", []Option{WithTLS(&tls.Config{})}, "otlptest: WithTLS: the config has no server certificate"},
		{"empty address", []Option{WithHTTPAddr("")}, "otlptest: listen addresses must not be empty"},
		{"bad address", []Option{WithGRPCAddr("127.0.0.1:notaport")}, "otlptest: listen for OTLP/gRPC on 127.0.0.1:notaport"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Start(tt.opts...)
			if err == nil {
				s.Close()
				t.Fatal("Start succeeded")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %q, want prefix %q", err, tt.want)
			}
		})
	}
}

func TestResetForgetsData(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	s.Script(Status(500), Fault{}, Status(501))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	s.Reset()
	if len(s.Requests()) != 0 || len(s.Spans()) != 0 || len(s.TraceRequests()) != 0 {
		t.Fatal("Reset kept data")
	}
	// Scripts survive Reset.
	if st, _, _ := post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace)); st != 501 {
		t.Fatalf("after Reset: %d, want the scripted 501", st)
	}
}

func TestAccessorsReturnCopies(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	sp := s.WaitSpans(t, 1, waitTime)[0]
	sp.Span.Name = "mutated"
	sp.Resource.Attributes = nil
	s.Requests()[0].Body[0] = 'X'
	s.Requests()[0].Header.Set("Content-Type", "mutated")
	s.TraceRequests()[0].ResourceSpans = nil
	again := s.Spans()[0]
	if again.Span.GetName() != "GET /orders" || ServiceName(again.Resource) != "checkout" ||
		s.Requests()[0].Body[0] != '{' || s.Requests()[0].Header.Get("Content-Type") != "application/json" ||
		len(s.TraceRequests()[0].ResourceSpans) != 1 {
		t.Fatal("mutating returned values changed the recorded data")
	}
}

func TestOnExport(t *testing.T) {
	var mu sync.Mutex
	var got []Export
	s := NewServer(t, WithOnExport(func(e Export) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e)
	}), WithOnExport(nil))
	c := newClient(t)
	s.Script(Status(503))
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace)) // rejected: no callback
	post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
	if _, err := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil)).Export(t.Context(), oneSpan("grpc")); err != nil {
		t.Fatal(err)
	}
	s.WaitSpans(t, 2, waitTime)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 {
		t.Fatalf("%d callbacks, want 2", len(got))
	}
	if got[0].Signal != SignalTraces || got[0].Request.Transport != TransportHTTP || !got[0].Request.Accepted ||
		got[0].Traces.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0].GetName() != "GET /orders" || got[0].Metrics != nil {
		t.Fatalf("first export %+v", got[0])
	}
	if got[1].Request.Transport != TransportGRPC || got[1].Traces.GetResourceSpans()[0].GetScopeSpans()[0].GetSpans()[0].GetName() != "grpc" {
		t.Fatalf("second export %+v", got[1])
	}
}

// TestServerConcurrentSafe exports on both transports while reading, waiting,
// scripting and resetting; run it with -race and a high -count.
func TestServerConcurrentSafe(t *testing.T) {
	s := NewServer(t)
	c := newClient(t)
	client := coltracepb.NewTraceServiceClient(dialGRPC(t, s, nil))
	const workers, each = 4, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				if w%2 == 0 {
					post(t, c, s.HTTPURL()+"/v1/traces", "application/json", nil, []byte(jsonTrace))
				} else if _, err := client.Export(t.Context(), oneSpan(fmt.Sprint(i))); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Go(func() {
		for range each {
			_ = s.Spans()
			_ = s.Requests()
			_ = s.TraceRequests()
			s.ScriptFor(SignalMetrics, Status(500))
			s.SetDefault(nil)
		}
	})
	s.WaitRequests(t, workers*each, waitTime)
	wg.Wait()
	if n := len(s.Spans()); n != workers*each {
		t.Fatalf("%d spans, want %d", n, workers*each)
	}
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
