package httpconv

import "io"

// Body wraps a request body to count the bytes read from it. Like [ResponseWriter] it is meant to be
// embedded in pooled per-request state; [Body.Reset] prepares it for a request.
type Body struct {
	rc   io.ReadCloser
	read int64
	err  error
}

var _ io.ReadCloser = (*Body)(nil)

// Reset makes b wrap rc (nil releases the previous body).
func (b *Body) Reset(rc io.ReadCloser) { *b = Body{rc: rc} }

// Read reads from the wrapped body and counts the bytes.
func (b *Body) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.read += int64(n)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// Close closes the wrapped body.
func (b *Body) Close() error { return b.rc.Close() }

// BytesRead returns the number of bytes read so far.
func (b *Body) BytesRead() int64 { return b.read }

// Err returns the last read error other than io.EOF, or nil.
func (b *Body) Err() error { return b.err }
