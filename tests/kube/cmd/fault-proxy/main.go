// Command fault-proxy stands between a client under test and the real
// kube-apiserver and injects the faults a real cluster produces now and then:
// bursts of 429 and 500, watches closed under the client, and watches ended
// with 410 Expired (what the server sends once etcd has compacted away the
// client's resourceVersion).
//
// It terminates TLS with the API server's own certificate, so a kubeconfig
// needs only its server address changed. A client certificate's identity is
// passed on by impersonation (the proxy authenticates as cluster admin and
// impersonates the certificate's user and groups), a bearer token as it is;
// so RBAC applies to the client exactly as without the proxy.
//
// The faults are driven over HTTP on the same port, under /_faults/ (see
// faults.go). Nothing here ships: it is test infrastructure.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on")
	portFile := flag.String("port-file", "", "write the port listened on to this file once listening")
	upstream := flag.String("upstream", "", "the API server's URL")
	caFile := flag.String("ca", "", "the cluster CA, to verify the API server and client certificates")
	servingCert := flag.String("serving-cert", "", "certificate to serve with (the API server's)")
	servingKey := flag.String("serving-key", "", "its key")
	adminCert := flag.String("admin-cert", "", "client certificate the proxy impersonates with")
	adminKey := flag.String("admin-key", "", "its key")
	flag.Parse()
	if err := run(*listen, *portFile, *upstream, *caFile, *servingCert, *servingKey, *adminCert, *adminKey); err != nil {
		slog.Error("fault-proxy failed", "error", err)
		os.Exit(1)
	}
}

func run(listen, portFile, upstream, caFile, servingCert, servingKey, adminCert, adminKey string) error {
	target, err := url.Parse(upstream)
	if err != nil || target.Host == "" {
		return fmt.Errorf("--upstream %q is not a URL", upstream)
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		return fmt.Errorf("--ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("--ca %s holds no certificate", caFile)
	}
	serving, err := tls.LoadX509KeyPair(servingCert, servingKey)
	if err != nil {
		return fmt.Errorf("--serving-cert/--serving-key: %w", err)
	}
	admin, err := tls.LoadX509KeyPair(adminCert, adminKey)
	if err != nil {
		return fmt.Errorf("--admin-cert/--admin-key: %w", err)
	}

	proxy := newProxy(target, pool, admin)
	mux := http.NewServeMux()
	proxy.faults.register(mux)
	mux.Handle("/", proxy)

	listener, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", listen, err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	if portFile != "" {
		if err := os.WriteFile(portFile, []byte(strconv.Itoa(port)+"\n"), 0o644); err != nil {
			return fmt.Errorf("--port-file: %w", err)
		}
	}
	slog.Info("fault-proxy listening", "port", port, "upstream", upstream)
	server := &http.Server{
		Handler: mux,
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{serving},
			ClientCAs:    pool,
			ClientAuth:   tls.VerifyClientCertIfGiven,
		},
	}
	return server.ServeTLS(listener, "", "")
}
