package otlptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Certificates is a throwaway PKI for TLS tests: a CA, a server certificate
// for 127.0.0.1, ::1 and localhost, and a client certificate, all ECDSA
// P-256 and valid for seven days. The PEM files live in one directory.
// Create it with [NewCertificates] or [GenerateCertificates]; the TLS config
// methods use key pairs parsed at generation.
type Certificates struct {
	// CAFile is the path of the CA certificate (PEM).
	CAFile string
	// ServerCertFile is the path of the server certificate (PEM).
	ServerCertFile string
	// ServerKeyFile is the path of the server private key (PEM, PKCS#8).
	ServerKeyFile string
	// ClientCertFile is the path of the client certificate (PEM).
	ClientCertFile string
	// ClientKeyFile is the path of the client private key (PEM, PKCS#8).
	ClientKeyFile string

	// CAPEM is the contents of CAFile.
	CAPEM []byte
	// ClientCertPEM is the contents of ClientCertFile.
	ClientCertPEM []byte
	// ClientKeyPEM is the contents of ClientKeyFile.
	ClientKeyPEM []byte

	server, client tls.Certificate
	pool           *x509.CertPool
}

// NewCertificates generates [Certificates] into tb.TempDir and fails tb on error.
func NewCertificates(tb testing.TB) *Certificates {
	tb.Helper()
	c, err := GenerateCertificates(tb.TempDir())
	if err != nil {
		tb.Fatalf("otlptest: %v", err)
	}
	return c
}

// GenerateCertificates generates [Certificates] and writes the PEM files
// ca.pem, server.pem, server-key.pem, client.pem and client-key.pem into dir,
// which must exist.
func GenerateCertificates(dir string) (*Certificates, error) {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("otlptest: generate CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: "otlptest CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(7 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caPEM, caCert, err := issue(caTmpl, nil, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	leaf := func(cn string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) (certPEM, keyPEM []byte, err error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, fmt.Errorf("otlptest: generate %s key: %w", cn, err)
		}
		tmpl := &x509.Certificate{
			Subject:     pkix.Name{CommonName: cn},
			NotBefore:   now.Add(-time.Hour),
			NotAfter:    now.Add(7 * 24 * time.Hour),
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: ips,
			DNSNames:    dns,
		}
		certPEM, _, err = issue(tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			return nil, nil, err
		}
		der, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, nil, fmt.Errorf("otlptest: encode %s key: %w", cn, err)
		}
		return certPEM, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
	}
	serverPEM, serverKeyPEM, err := leaf("otlptest server", x509.ExtKeyUsageServerAuth,
		[]net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, []string{"localhost"})
	if err != nil {
		return nil, err
	}
	clientPEM, clientKeyPEM, err := leaf("otlptest client", x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return nil, err
	}

	c := &Certificates{
		CAFile:         filepath.Join(dir, "ca.pem"),
		ServerCertFile: filepath.Join(dir, "server.pem"),
		ServerKeyFile:  filepath.Join(dir, "server-key.pem"),
		ClientCertFile: filepath.Join(dir, "client.pem"),
		ClientKeyFile:  filepath.Join(dir, "client-key.pem"),
		CAPEM:          caPEM,
		ClientCertPEM:  clientPEM,
		ClientKeyPEM:   clientKeyPEM,
		pool:           x509.NewCertPool(),
	}
	c.pool.AddCert(caCert)
	if c.server, err = tls.X509KeyPair(serverPEM, serverKeyPEM); err != nil {
		return nil, fmt.Errorf("otlptest: load server key pair: %w", err)
	}
	if c.client, err = tls.X509KeyPair(clientPEM, clientKeyPEM); err != nil {
		return nil, fmt.Errorf("otlptest: load client key pair: %w", err)
	}
	for path, data := range map[string][]byte{
		c.CAFile: caPEM, c.ServerCertFile: serverPEM, c.ServerKeyFile: serverKeyPEM,
		c.ClientCertFile: clientPEM, c.ClientKeyFile: clientKeyPEM,
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, fmt.Errorf("otlptest: write certificates: %w", err)
		}
	}
	return c, nil
}

// issue signs tmpl with the parent's key (self-signed when parent is nil)
// and returns the PEM encoding and the parsed certificate.
func issue(tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) ([]byte, *x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, fmt.Errorf("otlptest: serial number: %w", err)
	}
	tmpl.SerialNumber = serial
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		return nil, nil, fmt.Errorf("otlptest: create certificate %q: %w", tmpl.Subject.CommonName, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("otlptest: parse certificate %q: %w", tmpl.Subject.CommonName, err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), cert, nil
}

// ServerTLS returns a new server config with the server certificate and no
// client authentication.
func (c *Certificates) ServerTLS() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.server}, MinVersion: tls.VersionTLS12}
}

// ServerMTLS returns a new server config that requires client certificates
// signed by the CA.
func (c *Certificates) ServerMTLS() *tls.Config {
	cfg := c.ServerTLS()
	cfg.ClientAuth = tls.RequireAndVerifyClientCert
	cfg.ClientCAs = c.pool
	return cfg
}

// ClientTLS returns a new client config that trusts the CA and presents the
// client certificate.
func (c *Certificates) ClientTLS() *tls.Config {
	return &tls.Config{RootCAs: c.pool, Certificates: []tls.Certificate{c.client}, MinVersion: tls.VersionTLS12}
}
