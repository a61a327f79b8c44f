package otelkit_test

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/otelkit/otelkit"
)

// echoPeer is a TCP server that is not an OTLP/HTTP collector: it answers each request with the line reply
// builds from what it read, so that the client's transport error quotes it.
func echoPeer(t *testing.T, reply func(requestLine, authorization string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { ln.Close(); <-done })
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			r := bufio.NewReader(c)
			first, _ := r.ReadString('\n')
			var auth string
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == "\r\n" {
					break
				}
				if k, v, ok := strings.Cut(strings.TrimRight(l, "\r\n"), ": "); ok && strings.EqualFold(k, "Authorization") {
					auth = v
				}
			}
			_, _ = io.WriteString(c, reply(strings.TrimRight(first, "\r\n"), auth))
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// Transport errors can quote what the peer sent back (here, the request line with the endpoint's query, or
// the Authorization header built from the endpoint's user info). ExportError.Err used to carry that text
// unredacted, into ForceFlush's error and the error handler.
func TestTransportErrorsAreRedacted(t *testing.T) {
	const user, pass, token = "user", "password", "T0kenQuerySecret"
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
	for name, reply := range map[string]func(line, auth string) string{
		"request line as status": func(line, _ string) string { return line + "\r\n\r\n" },
		"credential as a malformed header": func(_, auth string) string {
			return "HTTP/1.1 200 OK\r\n" + auth + "\r\n\r\n" // "Basic dXNl...": a header line without a colon
		},
	} {
		t.Run(name, func(t *testing.T) {
			addr := echoPeer(t, reply)
			var log errorLog
			e := otelkit.OTLP("http://" + user + ":" + pass + "@" + addr + "/v1/traces?token=" + token)
			e.Retry.Disabled = true
			p := newTraceProvider(t, e, &log)
			oneSpan(t, p, "echoed")
			err := p.ForceFlush(t.Context())
			var ee *otelkit.ExportError
			if !errors.As(err, &ee) || ee.Err == nil {
				t.Fatalf("ForceFlush = %v, want an ExportError with a transport error", err)
			}
			for _, text := range []string{err.Error(), ee.Err.Error()} {
				for _, secret := range []string{token, pass, basic, user + ":" + pass} {
					if strings.Contains(text, secret) {
						t.Fatalf("error text leaks %q: %s", secret, text)
					}
				}
			}
			if !strings.Contains(err.Error(), "[REDACTED]") {
				t.Fatalf("error %q does not show where the peer's text was redacted", err)
			}
		})
	}
}

// The collector's message is redacted before it is shortened: cutting first could leave the start of a
// secret that the redactor no longer recognised.
func TestCollectorMessageIsRedactedBeforeTruncation(t *testing.T) {
	const key = "sk-live-0123456789abcdefghijklmnopqrstuvwxyz"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, strings.Repeat("x", 240)+" bad key "+r.Header.Get("X-Api-Key"))
	}))
	defer srv.Close()
	var log errorLog
	p := newTraceProvider(t, otelkit.OTLP(srv.URL).WithHeader("X-Api-Key", key), &log)
	oneSpan(t, p, "echoed")
	err := p.ForceFlush(t.Context())
	if err == nil {
		t.Fatal("export to a 401 succeeded")
	}
	if strings.Contains(err.Error(), key[:6]) {
		t.Fatalf("error leaks the start of the key: %v", err)
	}
}
