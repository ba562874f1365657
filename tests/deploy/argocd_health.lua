-- Runs an Argo CD health script as Argo CD does: the object, decoded from
-- JSON, is the global obj; prints the returned status and message.
-- Usage: lua5.1 argocd_health.lua HEALTH_SCRIPT OBJECT_JSON
local cjson = require("cjson")

local script, sample = arg[1], arg[2]
local file = assert(io.open(sample, "r"))
obj = cjson.decode(file:read("*a"))
file:close()

local hs = assert(loadfile(script))()
print(tostring(hs.status) .. ": " .. tostring(hs.message))
