package otelkit

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
)

// buildTLS turns TLS settings into a *tls.Config. It reads and parses every file now, so a bad path or PEM
// fails at construction. Errors name the field and the path, never key material.
func buildTLS(field string, t TLS, serverName string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if t.ServerName != "" {
		cfg.ServerName = t.ServerName
	}
	caPEM, err := pemBytes(field+".CAFile", t.CAPEM, t.CAFile)
	if err != nil {
		return nil, err
	}
	if caPEM != nil {
		pool := x509.NewCertPool()
		n, err := appendCerts(pool, caPEM)
		if err != nil {
			return nil, invalidErr(caField(field, t), "invalid CA certificate", err)
		}
		if n == 0 {
			return nil, invalid(caField(field, t), "no PEM certificates found")
		}
		cfg.RootCAs = pool
	}
	certPEM, err := pemBytes(field+".CertFile", t.CertPEM, t.CertFile)
	if err != nil {
		return nil, err
	}
	keyPEM, err := pemBytes(field+".KeyFile", t.KeyPEM, t.KeyFile)
	if err != nil {
		return nil, err
	}
	switch {
	case certPEM == nil && keyPEM == nil:
	case certPEM == nil || keyPEM == nil:
		return nil, invalid(field, "client certificate and client key must both be set for mTLS")
	default:
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			// crypto/tls errors describe the problem ("private key does not match public key") without key bytes.
			return nil, invalidErr(field, "invalid client certificate/key pair", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

func caField(field string, t TLS) string {
	if len(t.CAPEM) > 0 {
		return field + ".CAPEM"
	}
	return field + ".CAFile"
}

// pemBytes returns inline PEM if set, else the file's content, else nil.
func pemBytes(field string, inline []byte, path string) ([]byte, error) {
	if len(inline) > 0 {
		return inline, nil
	}
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, invalidErr(field, "cannot read "+quote(path), unwrapPathError(err))
	}
	if len(b) == 0 {
		return nil, invalid(field, quote(path)+" is empty")
	}
	return b, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// appendCerts adds every CERTIFICATE block to pool, failing on a block that does not parse.
func appendCerts(pool *x509.CertPool, data []byte) (int, error) {
	n := 0
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return n, nil
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return n, err
		}
		pool.AddCert(cert)
		n++
	}
}
