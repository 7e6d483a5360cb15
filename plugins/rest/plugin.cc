// The REST plugin's entry point: libcoregate_rest.so.
#include <coregate/sdk/plugin.h>

#include "plugins/rest/config_schema.h"
#include "plugins/rest/rest_adapter.h"

COREGATE_PLUGIN(coregate::plugins::rest::RestAdapter, "rest", "0.1.0",
                CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_POLL | CG_CAP_INBOUND | CG_CAP_HEALTH,
                coregate::plugins::rest::kRestConfigSchema)
