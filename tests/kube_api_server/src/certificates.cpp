#include "certificates.h"

#include <fstream>
#include <memory>

#include <cpprest/asyncrt_utils.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

namespace schemagate::testing::kube {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;

Error failure(const std::string& what) {
  return Error(ErrorCode::kInvalid, "kube-api-server: " + what + " failed (OpenSSL)");
}

bool add_extension(X509* cert, X509* issuer, int nid, const std::string& text) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, text.c_str());
  if (extension == nullptr) return false;
  bool added = X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  return added;
}

/// A certificate for `key` named `common_name`, signed by `issuer` (self-signed when null).
CertPtr make_certificate(EVP_PKEY* key, EVP_PKEY* issuer_key, X509* issuer,
                         const std::string& common_name, long serial, bool is_ca,
                         const std::string& subject_alt_names) {
  CertPtr cert(X509_new(), X509_free);
  X509* x = cert.get();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 24 * 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : x;
  X509_set_issuer_name(x, X509_get_subject_name(signer));
  bool ok = add_extension(x, signer, NID_subject_key_identifier, "hash");
  if (is_ca) {
    ok = ok && add_extension(x, signer, NID_basic_constraints, "critical,CA:TRUE") &&
         add_extension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  } else {
    ok = ok && add_extension(x, signer, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(x, signer, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
         add_extension(x, signer, NID_ext_key_usage, "serverAuth") &&
         add_extension(x, signer, NID_authority_key_identifier, "keyid") &&
         add_extension(x, signer, NID_subject_alt_name, subject_alt_names);
  }
  if (!ok || X509_sign(x, issuer_key, EVP_sha256()) == 0) return CertPtr(nullptr, X509_free);
  return cert;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(size));
}

std::string certificate_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509(bio.get(), cert);
  return bio_text(bio.get());
}

std::string key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  return bio_text(bio.get());
}

}  // namespace

Result<ServerCredentials> generate_credentials(const std::string& extra_ip) {
  KeyPtr ca_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  KeyPtr server_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!ca_key || !server_key) return failure("generating keys");
  CertPtr ca = make_certificate(ca_key.get(), ca_key.get(), nullptr, "schemagate-test-ca", 1,
                                true, "");
  if (!ca) return failure("signing the CA certificate");
  std::string names = "IP:127.0.0.1,DNS:localhost";
  if (!extra_ip.empty() && extra_ip != "127.0.0.1" && extra_ip != "0.0.0.0") {
    names += ",IP:" + extra_ip;
  }
  CertPtr server = make_certificate(server_key.get(), ca_key.get(), ca.get(), "kube-apiserver",
                                    2, false, names);
  if (!server) return failure("signing the server certificate");
  unsigned char random[32];
  if (RAND_bytes(random, sizeof(random)) != 1) return failure("generating the token");
  static const char kHex[] = "0123456789abcdef";
  std::string token;
  for (unsigned char byte : random) {
    token += kHex[byte >> 4];
    token += kHex[byte & 0xf];
  }
  return ServerCredentials{certificate_pem(ca.get()), certificate_pem(server.get()),
                           key_pem(server_key.get()), token};
}

std::string kubeconfig_text(const std::string& server_url, const ServerCredentials& credentials) {
  const std::string& ca = credentials.ca_certificate_pem;
  std::string ca_data =
      utility::conversions::to_base64(std::vector<unsigned char>(ca.begin(), ca.end()));
  return "apiVersion: v1\n"
         "kind: Config\n"
         "clusters:\n"
         "- name: schemagate-test\n"
         "  cluster:\n"
         "    server: " + server_url + "\n"
         "    certificate-authority-data: " + ca_data + "\n"
         "users:\n"
         "- name: schemagate-test\n"
         "  user:\n"
         "    token: " + credentials.token + "\n"
         "contexts:\n"
         "- name: schemagate-test\n"
         "  context:\n"
         "    cluster: schemagate-test\n"
         "    user: schemagate-test\n"
         "    namespace: default\n"
         "current-context: schemagate-test\n";
}

Status write_private_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Error(ErrorCode::kInvalid, "kube-api-server: cannot write " + path.string());
  std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                         std::filesystem::perms::owner_write);
  return {};
}

}  // namespace schemagate::testing::kube
