namespace Gdm.Core.Grouping;

public enum RowOrder
{
    TopDown,
    BottomUp,
}
