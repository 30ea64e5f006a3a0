-- Argo CD health check for slipway.dev/WebApp (resource.customizations.health.slipway.dev_WebApp).
-- Healthy: the desired revision is rolled out; Suspended: paused; Degraded: rejected or stalled;
-- Progressing: anything in between, including a spec Slipway has not observed yet.
local hs = {}
if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for Slipway to report status"
  return hs
end
if obj.metadata.generation ~= nil and obj.status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for Slipway to observe generation " .. obj.metadata.generation
  return hs
end
local phase = obj.status.phase
if phase == "Healthy" then
  hs.status = "Healthy"
elseif phase == "Paused" then
  hs.status = "Suspended"
elseif phase == "Degraded" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end
hs.message = obj.status.message or ""
return hs
