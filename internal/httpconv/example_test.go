package httpconv_test

import (
	"fmt"

	"github.com/otelkit/otelkit/internal/httpconv"
)

func ExampleParseMethod() {
	for _, m := range []string{"GET", "get", "PURGE"} {
		method, exact := httpconv.ParseMethod(m)
		fmt.Println(method, method.SpanName(), exact)
	}
	// Output:
	// GET GET true
	// GET GET false
	// _OTHER HTTP false
}

func ExampleMuxRoute() {
	fmt.Println(httpconv.MuxRoute("GET example.com/users/{id}"))
	// Output: /users/{id}
}

func ExampleRedactQuery() {
	fmt.Println(httpconv.RedactQuery("token=s3cret&page=2&S3CRET"))
	// Output: token=REDACTED&page=REDACTED&REDACTED
}
