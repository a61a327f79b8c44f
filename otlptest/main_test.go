package otlptest

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// waitTime bounds every wait in these tests; none is expected to come close.
const waitTime = 10 * time.Second

// hexTraceID and hexSpanID are the ids used by the raw JSON payloads.
const (
	hexTraceID = "5b8efff798038103d269b633813fc60c"
	hexSpanID  = "eee19b7ec3c1b174"
)

// jsonTrace is a minimal valid OTLP/JSON trace request with one span.
const jsonTrace = `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},` +
	`"scopeSpans":[{"scope":{"name":"raw"},"spans":[{"traceId":"` + hexTraceID + `","spanId":"` + hexSpanID + `",` +
	`"name":"GET /orders","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000001000000",` +
	`"attributes":[{"key":"http.response.status_code","value":{"intValue":"200"}}],"status":{"code":1}}]}]}]}`

// newClient returns an HTTP client whose idle connections are closed when the test ends.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: waitTime}
}

// post sends body to url and returns the status, response content type and body.
func post(t *testing.T, c *http.Client, url, contentType string, header http.Header, body []byte) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), data
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
