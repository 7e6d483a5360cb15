// The testing plugin's entry point: libcoregate_testing.so, loaded like any other plugin.
#include <coregate/sdk/plugin.h>

#include "plugins/testing/config_schema.h"
#include "plugins/testing/testing_adapter.h"

COREGATE_PLUGIN(coregate::plugins::testing::TestingAdapter, "testing", "0.1.0",
                CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_INBOUND | CG_CAP_HEALTH,
                coregate::plugins::testing::kTestingConfigSchema)
