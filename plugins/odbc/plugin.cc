// The ODBC plugin's entry point: libcoregate_odbc.so.
#include <coregate/sdk/plugin.h>

#include "plugins/odbc/config_schema.h"
#include "plugins/odbc/odbc_adapter.h"

COREGATE_PLUGIN(coregate::plugins::odbc::OdbcAdapter, "odbc", "0.1.0",
                CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_POLL | CG_CAP_HEALTH,
                coregate::plugins::odbc::kOdbcConfigSchema)
