using DeviceTwins.Grains.Interfaces.Commands;
using DeviceTwins.Grains.Interfaces.Models;

namespace DeviceTwins.Api.Changes;

/// <summary>One change a twin change stream sends: the twin as it now is, or a command's state change.</summary>
internal readonly record struct TwinChange(TwinSnapshot? Twin, CommandInfo? Command);
