using System.Diagnostics.CodeAnalysis;

namespace Gdm.Api.Endpoints.Operations;

/// <summary>Every mapped operation by name, for POST /v1/jobs ({ "name": request }) and its documentation.</summary>
public sealed class OperationCatalog
{
    private readonly List<IOperation> _operations = [];

    public IReadOnlyList<IOperation> Operations => _operations;

    public IEnumerable<string> Names => _operations.Select(o => o.Name);

    internal void Add(IOperation operation)
    {
        if (_operations.Any(o => o.Name == operation.Name))
            throw new InvalidOperationException($"operation {operation.Name} is mapped twice");
        _operations.Add(operation);
    }

    public bool TryGet(string name, [NotNullWhen(true)] out IOperation? operation)
    {
        operation = _operations.FirstOrDefault(o => o.Name == name);
        return operation is not null;
    }
}
