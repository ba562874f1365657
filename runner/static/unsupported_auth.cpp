// Debian's libpq.a refers to GSSAPI (Kerberos) and LDAP, which have no static
// libraries in Debian. The static runner links these definitions instead:
// every entry point fails, so libpq sees no Kerberos credentials (it then
// never tries GSSAPI encryption) and a server that demands GSSAPI or an LDAP
// service lookup gets a clear "not supported in the static build" error.
// scram-sha-256, md5 and TLS client certificates are unaffected.
#include <cstddef>
#include <cstring>

namespace {

constexpr unsigned int kGssFailure = 13u << 16;  // GSS_S_FAILURE
constexpr char kGssMessage[] =
    "GSSAPI is not supported in the static schemagate build; use scram-sha-256 or a client "
    "certificate";

struct GssBuffer {
  std::size_t length;
  void* value;
};

struct GssOid {
  unsigned int length;
  void* elements;
};

GssOid hostbased_service{0, nullptr};

}  // namespace

extern "C" {

GssOid* GSS_C_NT_HOSTBASED_SERVICE = &hostbased_service;

unsigned int gss_acquire_cred(unsigned int* minor, void*, unsigned int, void*, int, void**, void**,
                              unsigned int*) {
  if (minor) *minor = 0;
  return kGssFailure;
}
unsigned int gss_init_sec_context(unsigned int* minor, void*, void**, void*, GssOid*, unsigned int,
                                  unsigned int, void*, GssBuffer*, GssOid**, GssBuffer*,
                                  unsigned int*, unsigned int*) {
  if (minor) *minor = 0;
  return kGssFailure;
}
unsigned int gss_import_name(unsigned int* minor, GssBuffer*, GssOid*, void**) {
  if (minor) *minor = 0;
  return kGssFailure;
}
unsigned int gss_wrap(unsigned int* minor, void*, int, unsigned int, GssBuffer*, int*, GssBuffer*) {
  if (minor) *minor = 0;
  return kGssFailure;
}
unsigned int gss_unwrap(unsigned int* minor, void*, GssBuffer*, GssBuffer*, int*, unsigned int*) {
  if (minor) *minor = 0;
  return kGssFailure;
}
unsigned int gss_wrap_size_limit(unsigned int* minor, void*, int, unsigned int, unsigned int,
                                 unsigned int*) {
  if (minor) *minor = 0;
  return kGssFailure;
}
unsigned int gss_delete_sec_context(unsigned int* minor, void**, GssBuffer*) {
  if (minor) *minor = 0;
  return 0;
}
unsigned int gss_release_cred(unsigned int* minor, void**) {
  if (minor) *minor = 0;
  return 0;
}
unsigned int gss_release_name(unsigned int* minor, void**) {
  if (minor) *minor = 0;
  return 0;
}
unsigned int gss_release_buffer(unsigned int* minor, GssBuffer* buffer) {
  if (minor) *minor = 0;
  if (buffer) {
    buffer->length = 0;
    buffer->value = nullptr;
  }
  return 0;
}
unsigned int gss_display_status(unsigned int* minor, unsigned int, int, GssOid*,
                                unsigned int* message_context, GssBuffer* status) {
  if (minor) *minor = 0;
  if (message_context) *message_context = 0;
  if (status) {
    status->length = std::strlen(kGssMessage);
    status->value = const_cast<char*>(kGssMessage);
  }
  return 0;
}

// LDAP is only used for `ldap://` service lookups in pg_service.conf.
void* ldap_init(const char*, int) { return nullptr; }
int ldap_set_option(void*, int, const void*) { return -1; }
int ldap_simple_bind(void*, const char*, const char*) { return -1; }
int ldap_search_st(void*, const char*, int, const char*, char**, int, void*, void**) {
  return -1;
}
int ldap_result(void*, int, int, void*, void**) { return -1; }
int ldap_count_entries(void*, void*) { return 0; }
void* ldap_first_entry(void*, void*) { return nullptr; }
void* ldap_get_values_len(void*, void*, const char*) { return nullptr; }
void ldap_value_free_len(void*) {}
int ldap_msgfree(void*) { return 0; }
int ldap_unbind(void*) { return 0; }
char* ldap_err2string(int) {
  static char message[] = "LDAP is not supported in the static schemagate build";
  return message;
}

}  // extern "C"
