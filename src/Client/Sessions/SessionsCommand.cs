using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SecureCompute.Client.Cluster;
using SecureCompute.Grains.Interfaces;
using SecureCompute.Grains.Interfaces.Governance;
using SecureCompute.Grains.Interfaces.Sessions;
using Spectre.Console;

namespace SecureCompute.Client.Sessions;

/// <summary>
/// <c>sessions list --pending</c>, <c>sessions approve SESSION</c>, <c>sessions reject SESSION</c>: an operator decides, for
/// the party its identity belongs to (its client certificate, or <c>--as</c> without TLS), on sessions that party's
/// policy holds for manual approval. <c>sessions cancel SESSION</c>: a session's starter, or an operator of one of its
/// parties, stops it.
/// </summary>
internal static class SessionsCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("sessions", "An operator's view of its party's sessions: list those awaiting a decision, approve, reject, cancel.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Decide("approve", approve: true));
        command.Subcommands.Add(Decide("reject", approve: false));
        command.Subcommands.Add(Cancel());
        return command;
    }

    private static Command Cancel()
    {
        var connection = new ClusterConnection();
        var session = new Argument<string>("SESSION") { Description = "The session id." };
        var command = new Command("cancel", "Cancel a session you started or one of your party's: every party stops and drops the session's shares, seeds and checkpoints.")
        {
            session,
        };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => WithOperatorAsync(connection, result, cancellationToken, async (grains, signer, who) =>
        {
            string id = result.GetValue(session)!;
            await grains.GetGrain<ITrainingSessionGrain>(id).CancelAsync(signer.For(ClientPurpose.Cancel, id));
            Console.WriteLine($"cancelled session {id} as {who}.");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var connection = new ClusterConnection();
        var pending = new Option<bool>("--pending") { Description = "Sessions that await this operator's party's decision (the only list there is today)." };
        var command = new Command("list", "List the sessions awaiting your party's decision, with each spec in plain words.") { pending };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => WithOperatorAsync(connection, result, cancellationToken, async (grains, signer, who) =>
        {
            PendingSession[] waiting = await grains.GetGrain<IPartyGrain>(who.Party).PendingAsync(signer.For(ClientPurpose.ListPending, who.Party));
            if (waiting.Length == 0)
            {
                Console.WriteLine($"no session awaits a decision of {who.Party}.");
                return 0;
            }
            foreach (PendingSession p in waiting)
            {
                Console.WriteLine(Describe(p));
            }
            return 0;
        }));
        return command;
    }

    private static Command Decide(string verb, bool approve)
    {
        var connection = new ClusterConnection();
        var session = new Argument<string>("SESSION") { Description = "The session id (see sessions list --pending)." };
        var command = new Command(verb, $"{(approve ? "Approve" : "Reject")} a session for your party (your client certificate names your party).") { session };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) => WithOperatorAsync(connection, result, cancellationToken, async (grains, signer, who) =>
        {
            string id = result.GetValue(session)!;
            await grains.GetGrain<IPartyGrain>(who.Party).DecideAsync(id, approve, signer.For(approve ? ClientPurpose.Approve : ClientPurpose.Reject, id));
            Console.WriteLine($"{(approve ? "approved" : "rejected")} session {id} for {who.Party} as {who}.");
            return 0;
        }));
        return command;
    }

    /// <summary>A pending session in plain words (public metadata only).</summary>
    internal static string Describe(PendingSession p)
    {
        SessionSpec s = p.Spec;
        string recipients = string.Join(", ", SessionRecipients.Of(s));
        string features = s.Features is null ? "every column the policies allow" : string.Join(", ", s.Features);
        return $"{s.Session}: started by {p.Starter} at {p.Since.UtcDateTime:u}; decide before {p.Deadline.UtcDateTime:u}\n" +
               $"  {s.Model.Name()} regression on label '{s.Label}' with {features}; parties {string.Join(", ", s.Parties)}\n" +
               $"  {s.Epochs} epochs, batch size {s.BatchSize}, learning rate {s.LearningRate}; the model goes to {recipients}" +
               (s.ReproducibleSeed is null ? "" : "; REPRODUCIBLE SEEDS (tests and demos only)");
    }

    private static async Task<int> WithOperatorAsync(ClusterConnection connection, ParseResult result, CancellationToken cancellationToken,
        Func<IGrainFactory, ClientSigner, OperatorIdentity, Task<int>> act)
    {
        var (tls, signer, problem) = connection.Identity(result);
        if (problem is not null || signer?.Identity is not { } who)
        {
            Console.Error.WriteLine($"error: {problem ?? "an operator's identity is needed: a client certificate that names one (urn:securecompute:client:<party>:<name>), or --as party:name without TLS."}");
            return 2;
        }
        try
        {
            using IHost client = await ClusterConnection.ConnectAsync(result.GetValue(connection.Redis)!, result.GetValue(connection.ClusterId)!, tls, cancellationToken);
            int exit = await act(client.Services.GetRequiredService<IGrainFactory>(), signer, who);
            await client.StopAsync(CancellationToken.None);
            return exit;
        }
        catch (Exception e) when (e is ClusterUnreachableException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
