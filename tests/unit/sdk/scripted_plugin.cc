// The scripted adapter as a plugin, through the real macro: this test binary exports
// coregate_plugin_init exactly as a plugin library does.
#include <coregate/sdk/plugin.h>

#include "tests/unit/sdk/scripted_adapter.h"

COREGATE_PLUGIN(coregate::testing::ScriptedAdapter, "scripted", "9.8.7",
                CG_CAP_WRITE | CG_CAP_PROBE | CG_CAP_POLL | CG_CAP_INBOUND | CG_CAP_HEALTH,
                R"({"type": "object"})")
