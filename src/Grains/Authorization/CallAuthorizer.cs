using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureCompute.Grains.Hosting;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Placement;
using SecureCompute.Mpc.Diagnostics;

namespace SecureCompute.Grains.Authorization;

/// <summary>
/// The authorization boundary: an incoming grain-call filter that decides every call to one of SecureCompute's grain
/// interfaces before the grain sees it (<see cref="ProtocolRules"/>), from the call's source as Orleans' message names
/// it (<see cref="CallSource"/>) and the silos' proven identities (<see cref="PartyDirectory"/>) — never from an
/// argument. Then it checks that no argument the interface declares non-nullable is null.
/// </summary>
/// <remarks>
/// Steps for each call:
/// 1. Not one of our interfaces (Orleans' own grains): pass.
/// 2. Classify the source; find the method's rule (none: refused); evaluate it against the target grain's facts.
/// 3. Refused: the grain is not invoked (nothing changes); the caller gets <see cref="CallRefusedException"/> naming the
///    method, the role it needs and the caller's role; the refusal is logged at warning, counted in
///    <c>securecompute.calls_refused</c> (by method) and, on a party silo, appended to that party's audit trail.
/// 4. Admitted: a null where the interface declares a non-nullable parameter is an <see cref="ArgumentNullException"/>
///    naming the parameter, before the grain runs.
/// </remarks>
public sealed partial class CallAuthorizer(IServiceProvider services, ILocalSiloDetails localSilo, SiloIdentity silo, ILogger<CallAuthorizer> logger)
    : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, (int Index, string Name)[]> NonNullable = new();
    private readonly Lazy<PartyDirectory> directory = new(services.GetRequiredService<PartyDirectory>);
    private readonly Lazy<GrainTypes> types = new(() => new GrainTypes(services.GetRequiredService<IGrainFactory>()));
    private readonly Lazy<IClusterMembershipService> membership = new(services.GetRequiredService<IClusterMembershipService>);

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        MethodInfo method = context.InterfaceMethod;
        if (method.DeclaringType?.Assembly != ProtocolRules.Interfaces)
        {
            await context.Invoke();
            return;
        }
        CallSource source = CallSource.Of(context.SourceId, IsMember);
        string name = $"{method.DeclaringType.Name}.{method.Name}";
        CallRule? rule = ProtocolRules.All.GetValueOrDefault(method);
        bool admitted = rule is not null && await rule.AdmitsAsync(new CallCheck(source, context, types.Value, directory.Value, localSilo.SiloAddress));
        if (!admitted)
        {
            Refuse(context, name, source, rule?.Needed ?? "nobody (no rule names a caller)");
        }
        foreach (var (index, parameter) in NonNullable.GetOrAdd(method, NonNullableParameters))
        {
            if (context.Request.GetArgument(index) is null)
            {
                throw new ArgumentNullException(parameter, $"{name}: argument '{parameter}' is required.");
            }
        }
        await context.Invoke();
    }

    private bool IsMember(SiloAddress address) =>
        address.Equals(localSilo.SiloAddress) || membership.Value.CurrentSnapshot.Members.TryGetValue(address, out var member) && member.Status == SiloStatus.Active;

    private void Refuse(IIncomingGrainCallContext context, string method, CallSource source, string needed)
    {
        string caller = source.Describe(types.Value.Name);
        LogRefused(logger, method, caller, needed);
        MpcDiagnostics.CallsRefused.Add(1, new TagList { { MpcDiagnostics.MethodTag, method } });
        if (silo.Party is { } party && !(method == $"{nameof(IAuditLogGrain)}.{nameof(IAuditLogGrain.AppendAsync)}"))
        {
            var record = new AuditRecord(AuditEventKind.CallRefused, null, new[]
            {
                KeyValuePair.Create("method", method),
                KeyValuePair.Create("caller", caller),
                KeyValuePair.Create("target", context.TargetId.Type.ToString()!),
            });
            IGrainFactory grains = services.GetRequiredService<IGrainFactory>();
            // Off the grain's scheduler: the trail is appended as this silo, not as the refused call's target grain.
            _ = Task.Run(() => grains.GetGrain<IAuditLogGrain>(party).AppendAsync(record))
                .ContinueWith(t => LogNotAudited(logger, method, t.Exception!.GetBaseException().GetType().Name), TaskContinuationOptions.OnlyOnFaulted);
        }
        throw new CallRefusedException(method, caller, needed);
    }

    /// <summary>The parameters of <paramref name="method"/> that its interface declares non-nullable (reference types only).</summary>
    private static (int, string)[] NonNullableParameters(MethodInfo method)
    {
        var nullability = new NullabilityInfoContext();
        return method.GetParameters()
            .Where(p => !p.ParameterType.IsValueType && nullability.Create(p).WriteState == NullabilityState.NotNull)
            .Select(p => (p.Position, p.Name ?? $"#{p.Position}")).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a call to {Method} from {Caller}; it may be called only by {Needed}")]
    private static partial void LogRefused(ILogger logger, string method, string caller, string needed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not audit the refused call to {Method} ({Error})")]
    private static partial void LogNotAudited(ILogger logger, string method, string error);
}
