-- Argo CD health of a schemagate.io MigrationJob, read from the kstatus
-- conditions the operator writes (Ready, Reconciling, Stalled). Argo CD runs it
-- with gopher-lua (Lua 5.1): the object is the global obj; the script returns
-- the verdict. argocd-cm.yaml beside this file embeds it verbatim.
local hs = {}
local status = obj.status
local generation = obj.metadata.generation or 0

-- Conditions older than the spec describe the previous migration.
if status == nil or status.observedGeneration == nil or status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local function condition(wanted)
  for _, c in ipairs(status.conditions or {}) do
    if c.type == wanted then
      return c
    end
  end
  return nil
end

local stalled = condition("Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message
  return hs
end

local ready = condition("Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "migrated to " .. tostring(status.appliedRevision)
  return hs
end

local reconciling = condition("Reconciling")
hs.status = "Progressing"
if reconciling ~= nil and reconciling.message ~= nil then
  hs.message = reconciling.message
else
  hs.message = "phase " .. tostring(status.phase)
end
return hs
