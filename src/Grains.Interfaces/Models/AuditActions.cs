namespace DeviceTwins.Grains.Interfaces.Models;

/// <summary>The actions the audit topic records.</summary>
public static class AuditActions
{
    /// <summary>A JSON merge patch of the desired document; the detail is the patch.</summary>
    public const string DesiredPatch = "desired.patch";

    /// <summary>A replacement of the device's tags; the detail is the tags written.</summary>
    public const string TagsReplace = "tags.replace";

    /// <summary>An acknowledgement of an active alert (the target); the detail is the alert's state before it.</summary>
    public const string AlertAcknowledge = "alert.acknowledge";

    /// <summary>A command submitted to the device (the target is its id); the detail is the request (name, payload, timeout).</summary>
    public const string CommandSubmit = "command.submit";

    /// <summary>A queued command (the target) cancelled.</summary>
    public const string CommandCancel = "command.cancel";

    /// <summary>A device credential (the target is its id) issued; the detail names it, never the secret.</summary>
    public const string CredentialIssue = "credential.issue";

    /// <summary>A device credential (the target) revoked.</summary>
    public const string CredentialRevoke = "credential.revoke";
}
